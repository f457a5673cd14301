package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.UdpEndpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/**
 * A UDP endpoint on a non-blocking {@link DatagramChannel} driven by the event loop.
 *
 * <p>Receive path: on read readiness the loop receives straight into pooled off-heap buffers (the
 * JDK reads into a direct buffer without a copy) and calls the handler synchronously, at most
 * {@link #RX_BATCH} datagrams per readiness event so one busy endpoint cannot starve the others.
 * Nothing is allocated per datagram: the JDK's {@code DatagramChannelImpl} keeps the last sender's
 * {@link InetSocketAddress} and returns the same object while the sender repeats, and
 * {@code send} likewise skips re-encoding a destination identical to the previous one.
 *
 * <p>Handler exceptions are caught and logged. The handler owns the payload from the moment it is
 * called, whether it returns or throws: the loop never releases it, so a handler that throws
 * before releasing leaks the buffer (the pool's leak check shows it).
 *
 * <p>Transmit path: on the loop thread a datagram is sent at once; from another thread, or while
 * earlier datagrams still wait for room in the socket's send buffer, it joins a bounded queue that
 * the loop flushes on write readiness. Order among datagrams sent from one thread is kept.
 */
final class SocketUdpEndpoint implements UdpEndpoint, EventLoop.ReadyHandler {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    /** Datagrams read per readiness event before other channels and timers get a turn. */
    static final int RX_BATCH = 64;
    /** Datagrams waiting for the socket's send buffer; past this, sends are dropped. */
    static final int TX_QUEUE = 1024;

    private final SocketNetworkStack stack;
    private final EventLoop loop;
    private final BufferPool pool;
    private final DatagramChannel channel;
    private final DatagramHandler handler;
    private final InetSocketAddress localAddress;
    private final Metrics.Counter rx;
    private final Metrics.Counter tx;
    private final Metrics.Counter rxPoolExhausted;
    private final Metrics.Counter txDropped;
    /** Where datagrams go when no pooled buffer is free: read and dropped (see onReadable). */
    private final ByteBuffer discard = ByteBuffer.allocateDirect(1);

    // Send queue: a ring of (payload, destination) pairs, guarded by txLock. Parallel arrays keep
    // queueing allocation-free.
    private final Object txLock = new Object();
    private final PooledBuffer[] txPayloads = new PooledBuffer[TX_QUEUE];
    private final InetSocketAddress[] txDestinations = new InetSocketAddress[TX_QUEUE];
    private int txHead;
    private int txSize;
    private boolean writeInterest;
    private boolean closed;

    private SelectionKey key;

    private SocketUdpEndpoint(SocketNetworkStack stack, DatagramChannel channel, DatagramHandler handler)
            throws IOException {
        this.stack = stack;
        this.loop = stack.loop();
        this.pool = stack.bufferPool();
        this.channel = channel;
        this.handler = handler;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        Metrics m = stack.metrics();
        this.rx = m.counter("socket.udp.rx");
        this.tx = m.counter("socket.udp.tx");
        this.rxPoolExhausted = m.counter("socket.udp.rx.pool-exhausted");
        this.txDropped = m.counter("socket.udp.tx.dropped");
    }

    static SocketUdpEndpoint open(SocketNetworkStack stack, InetSocketAddress local, DatagramHandler handler)
            throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(handler, "handler");
        ProtocolFamily family = local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        DatagramChannel ch = DatagramChannel.open(family);
        try {
            ch.bind(local);
            ch.configureBlocking(false);
            SocketUdpEndpoint ep = new SocketUdpEndpoint(stack, ch, handler);
            synchronized (ep.txLock) {
                ep.key = stack.loop().register(ch, SelectionKey.OP_READ, ep);
            }
            return ep;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void onReady(SelectionKey k) {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            onWritable();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && k.isValid()) {
            onReadable();
        }
    }

    private void onReadable() {
        for (int i = 0; i < RX_BATCH; i++) {
            PooledBuffer buf = pool.tryAcquire();
            if (buf == null) {
                // Every buffer is out. Leaving the datagram in the kernel queue would keep the
                // level-triggered selector reporting it and spin the loop; read it into a one-byte
                // scratch buffer instead and drop it, as the kernel would on a full queue.
                if (!discardOne()) {
                    return;
                }
                rxPoolExhausted.increment();
                continue;
            }
            SocketAddress source;
            ByteBuffer into = buf.writableByteBuffer();
            try {
                source = channel.receive(into);
            } catch (IOException e) {
                buf.release();
                if (!(e instanceof ClosedChannelException)) {
                    LOG.log(Level.WARNING, "UDP receive on " + localAddress + " failed", e);
                }
                return;
            }
            if (source == null) {
                buf.release();
                return;
            }
            buf.commitWrite(into);
            rx.increment();
            try {
                handler.onDatagram(this, buf, (InetSocketAddress) source);
            } catch (RuntimeException e) {
                // The handler owns buf even now (see class comment): releasing it here could
                // double-release a buffer the handler already passed on.
                LOG.log(Level.WARNING, "datagram handler on " + localAddress + " threw", e);
            }
        }
    }

    private boolean discardOne() {
        discard.clear();
        try {
            return channel.receive(discard) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Takes ownership of {@code payload} in every case, including when it throws
     * {@link IllegalArgumentException} for a destination this endpoint cannot send to.
     */
    @Override
    public void send(PooledBuffer payload, InetSocketAddress destination) {
        Objects.requireNonNull(payload, "payload");
        if (destination == null) {
            payload.release();
            throw new NullPointerException("destination");
        }
        boolean onLoop = loop.inLoop();
        synchronized (txLock) {
            if (closed) {
                drop(payload);
                return;
            }
            if (onLoop && txSize == 0) {
                if (trySend(payload, destination)) {
                    return;
                }
                // Send buffer full: queue it and wait for write readiness.
            }
            if (txSize == TX_QUEUE) {
                drop(payload);
                return;
            }
            int tail = (txHead + txSize) % TX_QUEUE;
            txPayloads[tail] = payload;
            txDestinations[tail] = destination;
            txSize++;
            if (!writeInterest) {
                writeInterest = true;
                key.interestOpsOr(SelectionKey.OP_WRITE);
                loop.wakeup();
            }
        }
    }

    /** Sends now; true if the payload is finished with (sent, or dropped on error). */
    private boolean trySend(PooledBuffer payload, InetSocketAddress destination) {
        ByteBuffer data = payload.readableByteBuffer();
        int length = data.remaining();
        int sent;
        try {
            sent = channel.send(data, destination);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "UDP send from " + localAddress + " to " + destination + " failed", e);
            drop(payload);
            return true;
        } catch (RuntimeException e) { // unresolved or wrong-family address: the caller's mistake
            drop(payload);
            throw e;
        }
        // A non-blocking send returns 0 when the socket's send buffer has no room; a datagram is
        // sent whole or not at all. An empty datagram also returns 0: count it as sent.
        if (sent == 0 && length > 0) {
            return false;
        }
        tx.increment();
        payload.release();
        return true;
    }

    private void drop(PooledBuffer payload) {
        txDropped.increment();
        payload.release();
    }

    private void onWritable() {
        synchronized (txLock) {
            while (txSize > 0) {
                PooledBuffer p = txPayloads[txHead];
                InetSocketAddress d = txDestinations[txHead];
                boolean done;
                try {
                    done = trySend(p, d);
                } catch (RuntimeException e) {
                    done = true; // released by trySend; a bad destination only drops its datagram
                    LOG.log(Level.DEBUG, "UDP send to " + d + " rejected", e);
                }
                if (!done) {
                    return; // still full: keep write interest
                }
                txPayloads[txHead] = null;
                txDestinations[txHead] = null;
                txHead = (txHead + 1) % TX_QUEUE;
                txSize--;
            }
            if (writeInterest && key.isValid()) {
                key.interestOpsAnd(~SelectionKey.OP_WRITE);
            }
            writeInterest = false;
        }
    }

    @Override
    public void close() {
        synchronized (txLock) {
            if (closed) {
                return;
            }
            closed = true;
            while (txSize > 0) {
                drop(txPayloads[txHead]);
                txPayloads[txHead] = null;
                txDestinations[txHead] = null;
                txHead = (txHead + 1) % TX_QUEUE;
                txSize--;
            }
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing UDP endpoint " + localAddress + " failed", e);
        }
        stack.endpointClosed(this);
        // The selector finishes closing a cancelled channel at its next select.
        loop.wakeup();
    }
}
