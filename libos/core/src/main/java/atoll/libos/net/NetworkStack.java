package atoll.libos.net;

import atoll.libos.buffer.BufferPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The network device an appliance sees: UDP endpoints, TCP listeners and outgoing TCP flows.
 * Implemented by each target (host sockets, Atoll's own stack on a TAP device, ...); an appliance
 * never touches java.net or java.nio sockets itself.
 *
 * <p>Threading contract, the same on every target: {@link DatagramHandler}s run on the stack's
 * event loop and must not block; each accepted TCP flow is handed to its {@link FlowHandler} on a
 * virtual thread of its own, where blocking reads and writes are fine.
 */
public interface NetworkStack {

    /**
     * Binds a UDP endpoint. Datagrams that arrive are passed to {@code handler} on the event loop.
     *
     * @param local address and port to bind; port 0 picks a free port (see
     *     {@link UdpEndpoint#localAddress()})
     * @throws IOException if the address cannot be bound (in use, not local, no permission)
     */
    UdpEndpoint bindUdp(InetSocketAddress local, DatagramHandler handler) throws IOException;

    /**
     * Binds a UDP endpoint served by each of the stack's {@link #loops()} event loops, each with a
     * handler of its own: {@code handlerForLoop.apply(i)} is called once per loop {@code i} at bind
     * time, and that handler only ever runs on loop {@code i}, so it may keep state (buffers, a
     * writer) without sharing it. A target with one loop binds one endpoint with handler 0.
     *
     * @throws IOException as {@link #bindUdp(InetSocketAddress, DatagramHandler)}
     */
    default UdpEndpoint bindUdpPerLoop(InetSocketAddress local, IntFunction<DatagramHandler> handlerForLoop)
            throws IOException {
        return bindUdp(local, handlerForLoop.apply(0));
    }

    /** The number of event loops that serve UDP endpoints bound per loop; at least 1. */
    default int loops() {
        return 1;
    }

    /**
     * Listens for TCP connections; each accepted connection is passed to {@code handler} on its
     * own virtual thread, and closed when the handler returns.
     *
     * @throws IOException if the address cannot be bound
     */
    TcpListener listenTcp(InetSocketAddress local, FlowHandler handler) throws IOException;

    /** Opens a TCP connection, blocking until it is established (call from a virtual thread). */
    TcpFlow connectTcp(InetSocketAddress remote) throws IOException;

    /** The addresses this stack answers on. */
    List<InetAddress> localAddresses();

    /**
     * The datagram pool: UDP receive buffers are lent from it, and buffers given to
     * {@link UdpEndpoint#send} should be acquired from it (they have the headroom lower layers
     * need). TCP flows never take buffers from it (see {@link TcpFlow#acquireBuffer()}), so stream
     * traffic cannot starve datagram traffic.
     */
    BufferPool bufferPool();

    /**
     * The datagram pool of event loop {@code loop} (0 to {@link #loops()} - 1): a handler bound
     * with {@link #bindUdpPerLoop} for that loop receives from it and should send from it, so that
     * loops never contend for buffers. A target with one shared pool returns {@link #bufferPool()}.
     */
    default BufferPool bufferPool(int loop) {
        java.util.Objects.checkIndex(loop, loops());
        return bufferPool();
    }

    /**
     * The pool {@link TcpFlow#acquireBuffer()} lends from (for leak checks and metrics; handlers
     * go through their flow, which enforces the per-flow share). A target without a separate
     * stream pool returns {@link #bufferPool()}.
     */
    default BufferPool streamBufferPool() {
        return bufferPool();
    }
}
