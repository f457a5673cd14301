package atoll.libos.net;

import atoll.libos.buffer.PooledBuffer;

/** Receives UDP datagrams on the network stack's event loop. */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * One datagram arrived. Runs on the event loop: must not block, and should not allocate per
     * datagram on hot paths.
     *
     * @param endpoint the endpoint it arrived on (answer with {@link UdpEndpoint#reply})
     * @param payload the datagram's payload as the buffer's data window. The handler takes
     *     ownership: it must release it, or pass it on to an API that takes ownership (such as
     *     {@link UdpEndpoint#reply}).
     * @param addresses its source (the sender) and destination (the local address it was sent to,
     *     also when the endpoint is bound to a wildcard). The stack's own instance, reused for the
     *     next datagram: valid only during this call, not to be modified; take
     *     {@link DatagramAddresses#copy()} to keep it.
     */
    void onDatagram(UdpEndpoint endpoint, PooledBuffer payload, DatagramAddresses addresses);
}
