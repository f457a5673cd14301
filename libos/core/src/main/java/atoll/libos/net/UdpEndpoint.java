package atoll.libos.net;

import atoll.libos.buffer.PooledBuffer;
import java.net.InetSocketAddress;

/** A bound UDP endpoint. Thread-safe. */
public interface UdpEndpoint extends AutoCloseable {

    /** The bound address, with the actual port if 0 was asked for. */
    InetSocketAddress localAddress();

    /**
     * Sends the buffer's data window as one datagram. Takes ownership of {@code payload}: the stack
     * releases it once sent or dropped, so the caller must not touch it afterwards. Never blocks;
     * if the stack cannot queue it the datagram is dropped and counted (UDP gives no promise).
     */
    void send(PooledBuffer payload, InetSocketAddress destination);

    /** Stops receiving and unbinds. Idempotent. */
    @Override
    void close();
}
