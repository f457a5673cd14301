package atoll.libos.net;

import atoll.libos.buffer.PooledBuffer;
import java.net.InetSocketAddress;

/** Receives UDP datagrams on the network stack's event loop. */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * One datagram arrived. Runs on the event loop: must not block, and should not allocate per
     * datagram on hot paths.
     *
     * @param endpoint the endpoint it arrived on (reply with {@link UdpEndpoint#send})
     * @param payload the datagram's payload as the buffer's data window. The handler takes
     *     ownership: it must release it, or pass it on to an API that takes ownership (such as
     *     {@link UdpEndpoint#send}).
     * @param source the sender. The object may be reused by the stack for later datagrams from the
     *     same sender; treat it as immutable and do not rely on identity.
     */
    void onDatagram(UdpEndpoint endpoint, PooledBuffer payload, InetSocketAddress source);
}
