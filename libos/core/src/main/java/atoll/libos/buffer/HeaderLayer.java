package atoll.libos.buffer;

/**
 * The protocol layers whose header a {@link PooledBuffer} remembers (gVisor's PacketBuffer
 * shape): each is recorded once per use of the buffer, pushed on send or consumed on receive.
 */
public enum HeaderLayer {
    /** Ethernet. */
    LINK,
    /** IPv4. */
    NETWORK,
    /** UDP, TCP, ICMP. */
    TRANSPORT
}
