package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.Addresses;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.TransportAddress;
import atoll.libos.net.UdpEndpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A UDP endpoint on non-blocking {@link DatagramChannel}s driven by the event loop: the socket
 * target's java.nio path (see {@link BatchUdpEndpoint} for the batched one).
 *
 * <p>Wildcard: java.nio cannot ask the kernel for a datagram's destination address (no
 * IP_PKTINFO / IPV6_RECVPKTINFO), so an endpoint asked for {@code 0.0.0.0} or {@code ::} binds one
 * channel per local address of that family (those of the interfaces that are up at bind time,
 * loopback included) on one port. Each channel knows its own address, which becomes the
 * datagram's destination, and a {@link #reply} leaves from the channel bound to it. Addresses
 * added to the host later are not served until the endpoint is bound again; a datagram to an
 * address that is not an interface's own (such as 127.0.0.2) is not received. {@code ::} covers
 * IPv6 addresses only: listen on {@code 0.0.0.0} too for IPv4.
 *
 * <p>Receive path: on read readiness the loop receives straight into pooled off-heap buffers (the
 * JDK reads into a direct buffer without a copy) and calls the handler synchronously, at most
 * {@link #RX_BATCH} datagrams per readiness event so one busy channel cannot starve the others.
 * Source and destination reach the handler in one {@link DatagramAddresses} the endpoint owns and
 * overwrites per datagram. What still allocates on this path is the JDK's: when a datagram's
 * sender differs from the previous one on the same channel, {@code DatagramChannel.receive}
 * decodes the sender into a new {@link InetSocketAddress} (with its {@link InetAddress}, their
 * holders and an address byte array); a repeating sender gets the cached object back. Atoll adds
 * nothing per datagram: the source keeps that reference, the destination is copied from the
 * channel's own value, and a reply passes the same reference back to {@code send}, which encodes
 * it into the JDK's native socket address without allocating. On Linux the batched path,
 * {@link BatchUdpEndpoint} (recvmmsg/sendmmsg through the FFM API), serves instead unless
 * {@code socket.batch=off} or native access is missing, and has no such part.
 *
 * <p>Handler exceptions are caught and logged. The handler owns the payload from the moment it is
 * called, whether it returns or throws: the loop never releases it, so a handler that throws
 * before releasing leaks the buffer (the pool's leak check shows it).
 *
 * <p>Transmit path: on the loop thread a datagram is sent at once; from another thread, or while
 * earlier datagrams still wait for room in the channel's send buffer, it joins that channel's
 * bounded queue, which the loop flushes on write readiness. Order among datagrams sent from one
 * thread through one channel is kept.
 */
final class SocketUdpEndpoint implements UdpEndpoint {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    /** Datagrams read per readiness event before other channels and timers get a turn. */
    static final int RX_BATCH = 64;
    /** Datagrams waiting for a channel's send buffer; past this, sends are dropped. */
    static final int TX_QUEUE = 1024;

    private final SocketNetworkStack stack;
    private final EventLoop loop;
    private final BufferPool pool;
    private final DatagramHandler handler;
    private final InetSocketAddress localAddress;
    private final Binding[] bindings;
    private final Metrics.Counter rx;
    private final Metrics.Counter tx;
    private final Metrics.Counter rxPoolExhausted;
    private final Metrics.Counter txDropped;
    /** Where datagrams go when no pooled buffer is free: read and dropped (see onReadable). */
    private final ByteBuffer discard = ByteBuffer.allocateDirect(1);
    /** Handed to the handler for every datagram; touched on the loop thread only. */
    private final DatagramAddresses rxAddresses = new DatagramAddresses();
    /** Guards every binding's send queue, and {@link #closed}. */
    private final Object txLock = new Object();
    private boolean closed;

    private SocketUdpEndpoint(SocketNetworkStack stack, EventLoop loop, InetSocketAddress localAddress,
            List<DatagramChannel> channels, DatagramHandler handler) throws IOException {
        this.stack = stack;
        this.loop = loop;
        this.pool = stack.poolOf(loop);
        this.handler = handler;
        this.localAddress = localAddress;
        this.bindings = new Binding[channels.size()];
        for (int i = 0; i < bindings.length; i++) {
            bindings[i] = new Binding(channels.get(i));
        }
        Metrics m = stack.metrics();
        this.rx = m.counter("socket.udp.rx");
        this.tx = m.counter("socket.udp.tx");
        this.rxPoolExhausted = m.counter("socket.udp.rx.pool-exhausted");
        this.txDropped = m.counter("socket.udp.tx.dropped");
    }

    static SocketUdpEndpoint open(SocketNetworkStack stack, InetSocketAddress local, DatagramHandler handler)
            throws IOException {
        return open(stack, stack.loop(), local, handler, false);
    }

    /**
     * @param loop the event loop that drives this endpoint's channels and runs {@code handler}
     * @param reusePort set {@code SO_REUSEPORT} on every channel before binding, so that endpoints
     *     of other loops can bind the same address and port
     */
    static SocketUdpEndpoint open(SocketNetworkStack stack, EventLoop loop, InetSocketAddress local,
            DatagramHandler handler, boolean reusePort) throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(handler, "handler");
        InetAddress asked = local.getAddress();
        if (asked == null) {
            throw new IOException("unresolved address " + local.getHostString());
        }
        List<DatagramChannel> channels;
        InetSocketAddress bound;
        if (asked.isAnyLocalAddress()) {
            channels = OnePortBinding.bindEach(addressesLike(stack, asked), local.getPort(), binder(reusePort));
            bound = new InetSocketAddress(asked, ((InetSocketAddress) channels.getFirst().getLocalAddress()).getPort());
        } else {
            channels = List.of(bind(local, reusePort));
            bound = (InetSocketAddress) channels.getFirst().getLocalAddress();
        }
        try {
            SocketUdpEndpoint ep = new SocketUdpEndpoint(stack, loop, bound, channels, handler);
            synchronized (ep.txLock) {
                for (Binding b : ep.bindings) {
                    b.key = loop.register(b.channel, SelectionKey.OP_READ, b);
                }
            }
            return ep;
        } catch (IOException | RuntimeException e) {
            closeAll(channels);
            throw e;
        }
    }

    /** The host's addresses of {@code wildcard}'s family: IPv4 for 0.0.0.0, IPv6 for ::. */
    static List<InetAddress> addressesLike(SocketNetworkStack stack, InetAddress wildcard) throws IOException {
        boolean v6 = wildcard instanceof Inet6Address;
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : stack.localAddresses()) {
            if (v6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no " + (v6 ? "IPv6" : "IPv4") + " address on any interface that is up to bind "
                    + Addresses.format(wildcard) + " to");
        }
        return out;
    }

    /** java.nio's datagram channels for {@link OnePortBinding}. */
    private static OnePortBinding.Binder<DatagramChannel> binder(boolean reusePort) {
        return new OnePortBinding.Binder<>() {
            @Override
            public DatagramChannel bind(InetSocketAddress local) throws IOException {
                return SocketUdpEndpoint.bind(local, reusePort);
            }

            @Override
            public int port(DatagramChannel ch) throws IOException {
                return ((InetSocketAddress) ch.getLocalAddress()).getPort();
            }

            @Override
            public void closeQuietly(DatagramChannel ch) {
                closeAll(List.of(ch));
            }
        };
    }

    private static DatagramChannel bind(InetSocketAddress local, boolean reusePort) throws IOException {
        ProtocolFamily family = local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        DatagramChannel ch = DatagramChannel.open(family);
        try {
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(local);
            ch.configureBlocking(false);
            return ch;
        } catch (BindException e) {
            ch.close();
            BindException named = new BindException(e.getMessage() + ": " + Addresses.format(local));
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void closeAll(List<DatagramChannel> channels) {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing a UDP channel failed", e);
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The address of every channel, in bind order (one unless a wildcard was asked). */
    List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>(bindings.length);
        for (Binding b : bindings) {
            out.add(b.address);
        }
        return out;
    }

    @Override
    public void reply(PooledBuffer payload, DatagramAddresses received) {
        Objects.requireNonNull(payload, "payload");
        if (received == null) {
            payload.release();
            throw new NullPointerException("received");
        }
        TransportAddress from = received.destination();
        for (Binding b : bindings) {
            if (b.local.equals(from)) {
                b.send(payload, received.source());
                return;
            }
        }
        drop(payload);
        throw new IllegalArgumentException("reply from " + from + ": not an address of the endpoint on "
                + Addresses.format(localAddress));
    }

    @Override
    public void send(PooledBuffer payload, TransportAddress destination) {
        Objects.requireNonNull(payload, "payload");
        if (destination == null || !destination.isSet()) {
            payload.release();
            throw new NullPointerException("destination");
        }
        InetSocketAddress to = destination.toInetSocketAddress(); // set, so this cannot throw
        sender(to).send(payload, to);
    }

    @Override
    public void send(PooledBuffer payload, InetSocketAddress destination) {
        Objects.requireNonNull(payload, "payload");
        if (destination == null) {
            payload.release();
            throw new NullPointerException("destination");
        }
        sender(destination).send(payload, destination);
    }

    /**
     * The channel an unsourced datagram leaves from: the only one; else, for a wildcard, the first
     * of the destination's family whose address is loopback exactly when the destination is
     * (the kernel would not route between them), else the first of that family, else the first
     * (whose send then fails on the family, as a single channel's would).
     */
    private Binding sender(InetSocketAddress destination) {
        if (bindings.length == 1) {
            return bindings[0];
        }
        InetSocketAddress[] bound = new InetSocketAddress[bindings.length];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = bindings[i].address;
        }
        return bindings[senderIndex(bound, destination)];
    }

    /**
     * Index in {@code bound} of the address an unsourced datagram to {@code destination} leaves
     * from (see {@link #sender}); shared with the batched path.
     */
    static int senderIndex(InetSocketAddress[] bound, InetSocketAddress destination) {
        if (bound.length == 1) {
            return 0;
        }
        InetAddress to = destination.getAddress();
        boolean v6 = to instanceof Inet6Address;
        boolean loopback = to != null && to.isLoopbackAddress();
        int sameFamily = -1;
        for (int i = 0; i < bound.length; i++) {
            InetAddress a = bound[i].getAddress();
            if ((a instanceof Inet6Address) == v6) {
                if (a.isLoopbackAddress() == loopback) {
                    return i;
                }
                if (sameFamily < 0) {
                    sameFamily = i;
                }
            }
        }
        return sameFamily >= 0 ? sameFamily : 0;
    }

    private void drop(PooledBuffer payload) {
        txDropped.increment();
        payload.release();
    }

    @Override
    public void close() {
        synchronized (txLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Binding b : bindings) {
                b.dropQueued();
            }
        }
        for (Binding b : bindings) {
            b.close();
        }
        stack.endpointClosed(this);
        // The selector finishes closing a cancelled channel at its next select.
        loop.wakeup();
    }

    /** One bound channel of the endpoint, with its own address and send queue. */
    private final class Binding implements EventLoop.ReadyHandler {
        final DatagramChannel channel;
        final InetSocketAddress address;
        /** {@link #address} as the destination handed to the handler. */
        final TransportAddress local;
        // Send queue: a ring of (payload, destination) pairs, guarded by txLock. Parallel arrays
        // keep queueing allocation-free.
        private final PooledBuffer[] txPayloads = new PooledBuffer[TX_QUEUE];
        private final InetSocketAddress[] txDestinations = new InetSocketAddress[TX_QUEUE];
        private int txHead;
        private int txSize;
        private boolean writeInterest;
        SelectionKey key;

        Binding(DatagramChannel channel) throws IOException {
            this.channel = channel;
            this.address = (InetSocketAddress) channel.getLocalAddress();
            this.local = TransportAddress.of(address);
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
                    // level-triggered selector reporting it and spin the loop; read it into a
                    // one-byte scratch buffer instead and drop it, as the kernel would on a full
                    // queue.
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
                        LOG.log(Level.WARNING, "UDP receive on " + Addresses.format(address) + " failed", e);
                    }
                    return;
                }
                if (source == null) {
                    buf.release();
                    return;
                }
                buf.commitWrite(into);
                rx.increment();
                // RFC 1122 §4.1.3.5: "When a UDP datagram is received, its specific-destination
                // address MUST be passed up to the application layer."
                rxAddresses.source().set((InetSocketAddress) source);
                rxAddresses.destination().set(local);
                try {
                    handler.onDatagram(SocketUdpEndpoint.this, buf, rxAddresses);
                } catch (RuntimeException e) {
                    // The handler owns buf even now (see class comment): releasing it here could
                    // double-release a buffer the handler already passed on.
                    LOG.log(Level.WARNING, "datagram handler on " + Addresses.format(address) + " threw", e);
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
         * Sends to a transport address. A source the loop received keeps the JDK's object, so a
         * reply passes that same reference on and nothing is made; from octets, the java.net form
         * is made once and cached in {@code destination}.
         */
        void send(PooledBuffer payload, TransportAddress destination) {
            if (!destination.isSet()) {
                drop(payload);
                throw new IllegalArgumentException("reply to an unset source address");
            }
            send(payload, destination.toInetSocketAddress());
        }

        void send(PooledBuffer payload, InetSocketAddress destination) {
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
                LOG.log(Level.DEBUG, "UDP send from " + Addresses.format(address) + " to " + destination + " failed",
                        e);
                drop(payload);
                return true;
            } catch (RuntimeException e) { // unresolved or wrong-family address: the caller's mistake
                drop(payload);
                throw e;
            }
            // A non-blocking send returns 0 when the socket's send buffer has no room; a datagram
            // is sent whole or not at all. An empty datagram also returns 0: count it as sent.
            if (sent == 0 && length > 0) {
                return false;
            }
            tx.increment();
            payload.release();
            return true;
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

        /** Under txLock. */
        void dropQueued() {
            while (txSize > 0) {
                drop(txPayloads[txHead]);
                txPayloads[txHead] = null;
                txDestinations[txHead] = null;
                txHead = (txHead + 1) % TX_QUEUE;
                txSize--;
            }
        }

        void close() {
            key.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing UDP channel " + Addresses.format(address) + " failed", e);
            }
        }
    }
}
