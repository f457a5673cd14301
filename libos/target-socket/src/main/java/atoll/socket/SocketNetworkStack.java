package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.FlowAdmission;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.StreamFlowCounters;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * The network stack on the host kernel's sockets. UDP endpoints are driven by the event loop;
 * TCP flows run on virtual threads and wait for readiness from the same loop.
 *
 * <p>Traffic classes do not share buffers: datagrams are received into {@link #bufferPool()},
 * stream flows take theirs from {@link #streamBufferPool()} (each flow at most its
 * {@code tcp.flow-buffers}). Accepted flows are admitted under {@link StreamLimits}: past
 * {@code tcp.max-flows} the flow idle longest between units is closed to make room (RFC 7766
 * §6.2.3 lets a DNS server close idle connections, especially under load), or the new one is
 * refused if none is idle; past {@code tcp.max-flows-per-prefix} from one /24 or /56 the new one is
 * refused.
 *
 * <p>The stack keeps every endpoint, listener and flow it opened so that {@link #shutdown}
 * can close what the appliance left open.
 */
final class SocketNetworkStack implements NetworkStack {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    private final EventLoop loop;
    /** Every event loop; {@link #loop} is the first, which also runs timers. */
    private final EventLoop[] loops;
    /** The loop TCP channels wait on: {@link #loop}, unless the loops wait in epoll (batched UDP). */
    private final EventLoop tcpLoop;
    /** Each loop's datagram pool, in loop order; {@link #pool} is the first's. */
    private final BufferPool[] pools;
    /** Datagrams per recvmmsg/sendmmsg on the batched path; 0 when UDP goes through java.nio. */
    private final int batch;
    private final BufferPool pool;
    private final BufferPool streamPool;
    private final StreamLimits limits;
    private final FlowAdmission admission;
    private final Metrics metrics;
    private final StreamFlowCounters counters;
    /** Inbound flows holding an admission slot (flows from connectTcp hold none). */
    private final Set<SocketTcpFlow> admitted = ConcurrentHashMap.newKeySet();
    private final Set<UdpEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final Set<SocketTcpListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<SocketTcpFlow> flows = ConcurrentHashMap.newKeySet();
    private final ReentrantLock handlersLock = new ReentrantLock();
    private final Condition handlersDone = handlersLock.newCondition();
    private int runningHandlers;
    private volatile boolean shutDown;

    SocketNetworkStack(EventLoop loop, BufferPool pool, BufferPool streamPool, StreamLimits limits, Metrics metrics) {
        this(new EventLoop[] {loop}, loop, new BufferPool[] {pool}, 0, streamPool, limits, metrics);
    }

    /**
     * @param loops the event loops; the first runs timers
     * @param tcpLoop the loop TCP channels register with: the first of {@code loops} when those
     *     wait in java.nio selectors, a selector loop of its own when they wait in epoll
     * @param pools each loop's datagram pool, in the same order
     * @param batch datagrams per system call on the batched path (the loops wait in epoll), 0 for java.nio
     */
    SocketNetworkStack(EventLoop[] loops, EventLoop tcpLoop, BufferPool[] pools, int batch, BufferPool streamPool,
            StreamLimits limits, Metrics metrics) {
        if (pools.length != loops.length) {
            throw new IllegalArgumentException(pools.length + " pools for " + loops.length + " loops");
        }
        this.loops = loops.clone();
        this.loop = loops[0];
        this.tcpLoop = tcpLoop;
        this.pools = pools.clone();
        this.batch = batch;
        this.pool = pools[0];
        this.streamPool = streamPool;
        this.limits = limits;
        this.admission = new FlowAdmission(limits.maxFlows(), limits.maxFlowsPerPrefix());
        this.metrics = metrics;
        this.counters = new StreamFlowCounters(metrics);
        metrics.gauge(StreamLimits.METRIC_OPEN, admission::open);
    }

    StreamLimits limits() {
        return limits;
    }

    /** The monotonic clock flow deadlines count on; tests replace it to move time by hand. */
    private volatile java.util.function.LongSupplier flowClock = System::nanoTime;

    java.util.function.LongSupplier flowClock() {
        return flowClock;
    }

    void flowClock(java.util.function.LongSupplier clock) {
        flowClock = clock;
    }

    EventLoop loop() {
        return loop;
    }

    /** The loop TCP listeners and flows wait on (see the constructor). */
    EventLoop tcpLoop() {
        return tcpLoop;
    }

    /** Datagrams per recvmmsg/sendmmsg, or 0 when UDP goes through java.nio. */
    int batch() {
        return batch;
    }

    /** The datagram pool of {@code l}, one of this stack's loops. */
    BufferPool poolOf(EventLoop l) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == l) {
                return pools[i];
            }
        }
        throw new IllegalArgumentException("not a loop of this stack");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each loop has a datagram pool of its own (a share of {@code socket.buffers}): its
     * endpoints receive into it and its handlers should send from it, so loops never contend for
     * buffers. Loop 0's is {@link #bufferPool()}.
     */
    @Override
    public BufferPool bufferPool(int loopIndex) {
        return pools[loopIndex];
    }

    /** Opens a UDP endpoint on {@code l}: batched on raw sockets when the loops wait in epoll, else java.nio. */
    private UdpEndpoint openUdp(EventLoop l, InetSocketAddress local, DatagramHandler handler, boolean reusePort)
            throws IOException {
        return batch > 0
                ? BatchUdpEndpoint.open(this, l, local, handler, reusePort, batch)
                : SocketUdpEndpoint.open(this, l, local, handler, reusePort);
    }

    @Override
    public int loops() {
        return loops.length;
    }

    Metrics metrics() {
        return metrics;
    }

    @Override
    public BufferPool bufferPool() {
        return pool;
    }

    @Override
    public BufferPool streamBufferPool() {
        return streamPool;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An IPv6 address binds an IPv6 socket; any other address binds an IPv4 socket. A wildcard
     * binds one socket per address of its family that {@link #localAddresses()} lists at this
     * moment ({@code 0.0.0.0}: every IPv4 address, {@code ::}: every IPv6 address, IPv4 excluded),
     * all on one port, so that each datagram's destination is known and a reply leaves from it
     * (see {@link SocketUdpEndpoint}).
     */
    @Override
    public UdpEndpoint bindUdp(InetSocketAddress local, DatagramHandler handler) throws IOException {
        checkOpen();
        UdpEndpoint ep = openUdp(loop, local, handler, false);
        endpoints.add(ep);
        if (shutDown) { // raced with shutdown: do not leave it open behind its back
            ep.close();
            throw new IOException("network stack is shut down");
        }
        return ep;
    }

    /**
     * {@inheritDoc}
     *
     * <p>With more than one loop ({@code socket.loops}) each loop gets endpoint sockets of its own
     * on the same address and port, bound with {@code SO_REUSEPORT}: the Linux kernel then spreads
     * the datagrams over the sockets by a hash of their source and destination, so the datagrams of
     * one client keep going to one loop. (Another process of the same user could bind the port
     * with {@code SO_REUSEPORT} too and take a share; the kernel refuses other users.) A wildcard is
     * bound as {@link #bindUdp(InetSocketAddress, DatagramHandler)} binds it, once per loop. The
     * endpoint returned sends from the first loop's sockets; a handler replies through the endpoint
     * it is given, its own loop's.
     */
    @Override
    public UdpEndpoint bindUdpPerLoop(InetSocketAddress local, IntFunction<DatagramHandler> handlerForLoop)
            throws IOException {
        if (loops.length == 1) {
            return bindUdp(local, handlerForLoop.apply(0));
        }
        checkOpen();
        List<UdpEndpoint> eps = new ArrayList<>(loops.length);
        try {
            InetSocketAddress at = local;
            for (int i = 0; i < loops.length; i++) {
                UdpEndpoint ep = openUdp(loops[i], at, handlerForLoop.apply(i), true);
                eps.add(ep);
                endpoints.add(ep);
                // The first bind settles the port (port 0 picks one); the others join it.
                at = new InetSocketAddress(local.getAddress(), ep.localAddress().getPort());
            }
        } catch (IOException | RuntimeException e) {
            for (UdpEndpoint ep : eps) {
                ep.close();
            }
            throw e;
        }
        UdpEndpoint all = new LoopUdpEndpoints(List.copyOf(eps));
        if (shutDown) {
            all.close();
            throw new IOException("network stack is shut down");
        }
        return all;
    }

    @Override
    public TcpListener listenTcp(InetSocketAddress local, FlowHandler handler) throws IOException {
        checkOpen();
        SocketTcpListener l = SocketTcpListener.open(this, local, handler);
        listeners.add(l);
        if (shutDown) {
            l.close();
            throw new IOException("network stack is shut down");
        }
        return l;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The caller owns the flow and closes it; the stack closes it at shutdown if still open.
     */
    @Override
    public TcpFlow connectTcp(InetSocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote");
        checkOpen();
        SocketChannel ch = SocketChannel.open(
                remote.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        SocketTcpFlow flow;
        try {
            ch.connect(remote);
            flow = new SocketTcpFlow(this, ch, flowClock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (!flowOpened(flow)) {
            flow.close();
            throw new IOException("network stack is shut down");
        }
        return flow;
    }

    /**
     * {@inheritDoc}
     *
     * <p>On this target the host kernel answers on every address of every interface that is up,
     * loopback included, so this lists those (IPv4 and IPv6), in the order the host reports them.
     * Empty if the host will not enumerate its interfaces.
     */
    @Override
    public List<InetAddress> localAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            Enumeration<NetworkInterface> ifs = NetworkInterface.getNetworkInterfaces();
            while (ifs != null && ifs.hasMoreElements()) {
                NetworkInterface nif = ifs.nextElement();
                if (nif.isUp()) {
                    out.addAll(java.util.Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            LOG.log(Level.WARNING, "cannot list the host's interface addresses", e);
        }
        return List.copyOf(out);
    }

    private void checkOpen() throws IOException {
        if (shutDown) {
            throw new IOException("network stack is shut down");
        }
    }

    // Bookkeeping called by endpoints, listeners and flows.

    void endpointClosed(UdpEndpoint ep) {
        endpoints.remove(ep);
    }

    void listenerClosed(SocketTcpListener l) {
        listeners.remove(l);
    }

    /** Tracks a new flow; false if the stack is shutting down and the flow must be closed. */
    boolean flowOpened(SocketTcpFlow flow) {
        flows.add(flow);
        if (shutDown) {
            flows.remove(flow);
            return false;
        }
        return true;
    }

    void flowClosed(SocketTcpFlow flow) {
        flows.remove(flow);
        if (admitted.remove(flow)) {
            admission.release(flow.remoteAddress().getAddress());
        }
    }

    /**
     * Takes an admission slot for a connection just accepted from {@code source}, closing the
     * longest-idle flow if {@code tcp.max-flows} are open. False (and counted) if it must be
     * refused. Each true needs {@link #admitted(SocketTcpFlow)} or {@link #unadmit}.
     */
    boolean admit(InetAddress source) {
        FlowAdmission.Outcome outcome = admission.admit(source);
        if (outcome == FlowAdmission.Outcome.OVER_TOTAL) {
            SocketTcpFlow victim = longestIdle();
            if (victim != null) {
                counters.evictedIdle();
                LOG.log(Level.DEBUG, "{0} flows open: closing the one idle longest, from {1}", limits.maxFlows(),
                        victim.remoteAddress());
                victim.close(); // gives back its slot
                outcome = admission.admit(source);
            }
        }
        return counters.admitted(outcome);
    }

    /** The flow now holds the slot {@link #admit} took; closing it gives the slot back. */
    void admitted(SocketTcpFlow flow) {
        admitted.add(flow);
        if (!flows.contains(flow)) { // closed already (or refused by shutdown): give it back now
            if (admitted.remove(flow)) {
                admission.release(flow.remoteAddress().getAddress());
            }
        }
    }

    /** Gives back a slot whose flow never came to be. */
    void unadmit(InetAddress source) {
        admission.release(source);
    }

    private SocketTcpFlow longestIdle() {
        SocketTcpFlow best = null;
        for (SocketTcpFlow f : admitted) {
            if (f.idleBetweenUnits() && (best == null || f.idleSince() - best.idleSince() < 0)) {
                best = f;
            }
        }
        return best;
    }

    void timedOut(FlowTimeoutException.Deadline which) {
        counters.timedOut(which);
    }

    void bufferRefused(boolean poolEmpty) {
        counters.bufferRefused(poolEmpty);
    }

    void handlerStarted() {
        handlersLock.lock();
        try {
            runningHandlers++;
        } finally {
            handlersLock.unlock();
        }
    }

    void handlerFinished() {
        handlersLock.lock();
        try {
            if (--runningHandlers == 0) {
                handlersDone.signalAll();
            }
        } finally {
            handlersLock.unlock();
        }
    }

    /** Waits until no flow handler runs, at most {@code limit}; returns how many still run. */
    private int awaitHandlers(Duration limit) {
        long nanos = limit.isNegative() ? 0 : limit.toNanos();
        handlersLock.lock();
        try {
            while (runningHandlers > 0 && nanos > 0) {
                try {
                    nanos = handlersDone.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return runningHandlers;
        } finally {
            handlersLock.unlock();
        }
    }

    /**
     * Handlers whose flow was closed under them normally return at once (their blocked read
     * fails); this bounds the wait for one stuck elsewhere so shutdown still ends.
     */
    private static final Duration UNWIND_WAIT = Duration.ofSeconds(1);

    /** Shutdown steps 1-4 (see {@link SocketPlatform#shutdown}). */
    void shutdown(Duration grace) {
        shutDown = true;
        for (SocketTcpListener l : List.copyOf(listeners)) {
            l.close(); // returns once its acceptor has stopped
        }
        // Past this point no acceptor can hand out a flow (flowOpened refuses it too).
        int left = awaitHandlers(grace);
        if (left > 0) {
            LOG.log(Level.INFO, "{0} flow handler(s) still running after the {1} grace period; closing their flows",
                    left, grace);
        }
        for (SocketTcpFlow f : List.copyOf(flows)) {
            f.close();
        }
        left = awaitHandlers(UNWIND_WAIT);
        if (left > 0) {
            LOG.log(Level.WARNING, "{0} flow handler(s) did not return after their flows were closed", left);
        }
        for (UdpEndpoint ep : List.copyOf(endpoints)) {
            ep.close();
        }
        for (SocketTcpListener l : List.copyOf(listeners)) {
            l.close();
        }
    }
}
