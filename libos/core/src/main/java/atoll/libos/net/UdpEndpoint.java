package atoll.libos.net;

import atoll.libos.buffer.PooledBuffer;
import java.net.InetSocketAddress;

/**
 * A bound UDP endpoint. Thread-safe.
 *
 * <p>An endpoint bound to a wildcard ({@code 0.0.0.0} for every IPv4 address, {@code ::} for
 * every IPv6 address) still tells its handler which local address each datagram was sent to, and
 * {@link #reply} sends from that address, so a client that asked one of several addresses hears
 * back from the one it asked (RFC 1122 §3.3.4.2: "If the datagram is sent in response to a
 * received datagram, the source address for the response SHOULD be the specific-destination
 * address of the request"; clients discard answers from elsewhere).
 *
 * <p>Every send method takes ownership of {@code payload}: the stack releases it once sent or
 * dropped, also when the method throws, so the caller must not touch it afterwards. None blocks;
 * if the stack cannot queue a datagram it is dropped and counted (UDP gives no promise).
 */
public interface UdpEndpoint extends AutoCloseable {

    /**
     * The address asked for at bind, with the actual port if 0 was asked for (so a wildcard stays
     * a wildcard here; the local address of each datagram is in its {@link DatagramAddresses}).
     */
    InetSocketAddress localAddress();

    /**
     * Sends the buffer's data window as one datagram back to {@code received.source()}, from
     * {@code received.destination()}: the way to answer a datagram this endpoint received. Reads
     * {@code received} during the call only, so the stack's own instance may be passed from inside
     * {@link DatagramHandler#onDatagram}; from another thread pass a {@link DatagramAddresses#copy()}.
     *
     * @throws IllegalArgumentException if {@code received.destination()} is not an address this
     *     endpoint receives on (the payload is dropped)
     */
    void reply(PooledBuffer payload, DatagramAddresses received);

    /**
     * Sends the buffer's data window as one datagram to {@code destination}, from the endpoint's
     * address (for a wildcard endpoint, one of its addresses of the destination's family, chosen
     * by the stack: use {@link #reply} when the source matters). Reads {@code destination} during
     * the call only.
     */
    void send(PooledBuffer payload, TransportAddress destination);

    /** As {@link #send(PooledBuffer, TransportAddress)}, for a java.net address. */
    void send(PooledBuffer payload, InetSocketAddress destination);

    /** Stops receiving and unbinds. Idempotent. */
    @Override
    void close();
}
