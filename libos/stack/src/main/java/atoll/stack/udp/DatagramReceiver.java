package atoll.stack.udp;

import atoll.libos.buffer.PooledBuffer;
import atoll.stack.ip.IcmpError;

/** What a bound UDP port delivers to. */
public interface DatagramReceiver {

    /**
     * A datagram for the bound port: the buffer's window is its payload (the IPv4 and UDP headers
     * are recorded as the buffer's NETWORK and TRANSPORT headers). Takes ownership.
     */
    void receive(PooledBuffer payload, int source, int sourcePort, int destination, int destinationPort, long now);

    /**
     * An ICMP error about a datagram sent from the bound port (RFC 1122 §4.1.3.3: "UDP MUST pass to
     * the application layer all ICMP error messages that it receives from the IP layer").
     * Default: ignored.
     */
    default void icmpError(IcmpError error, long now) {}
}
