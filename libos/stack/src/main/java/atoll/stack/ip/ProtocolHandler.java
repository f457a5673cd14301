package atoll.stack.ip;

import atoll.libos.buffer.PooledBuffer;
import atoll.stack.wire.Ipv4Header;

/** A transport protocol above IPv4 (ICMP, UDP, TCP), registered with {@link Ipv4Engine#register}. */
public interface ProtocolHandler {

    /**
     * A datagram for this protocol: the buffer's window is the IPv4 payload (the transport header
     * first), the IPv4 header is recorded as the buffer's {@code NETWORK} header, and {@code ip}
     * is a checked view of it, valid during this call only. Takes ownership of the buffer.
     */
    void receive(PooledBuffer packet, Ipv4Header ip, long now);

    /** An ICMP error about a datagram of this protocol that we sent. Default: ignored. */
    default void icmpError(IcmpError error, long now) {}
}
