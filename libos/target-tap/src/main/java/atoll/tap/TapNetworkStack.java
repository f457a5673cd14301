package atoll.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.FlowAdmission;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.StreamFlowCounters;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.stack.EthernetInterface;
import atoll.stack.ip.IcmpError;
import atoll.stack.ip.ProtocolHandler;
import atoll.stack.link.SendOutcome;
import atoll.stack.tcp.TcpConfig;
import atoll.stack.tcp.TcpStack;
import atoll.stack.tcp.TcpState;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.ip.IpConfig;
import atoll.stack.wire.Ipv4Address;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The network stack the tap target gives the appliance: Atoll's own Ethernet/ARP/IPv4/ICMP/UDP
 * engines ({@link EthernetInterface}) over the TAP device, driven by the {@link TapLoop}. Every
 * engine call happens on the loop thread; calls from other threads (a bind, a send from a virtual
 * thread) are handed to the loop.
 *
 * <p>IPv4 only, one address. UDP endpoints and TCP listeners bind the stack's address or
 * {@code 0.0.0.0} (the same thing here). TCP runs on the stack's TCP engine ({@link TcpStack});
 * each flow is a blocking {@link TapTcpFlow} on a virtual thread whose calls hop to the loop.
 */
final class TapNetworkStack implements NetworkStack {
    private static final System.Logger LOG = System.getLogger("atoll.tap");
    /** How long a bind from another thread waits for the loop to answer. */
    static final Duration LOOP_CALL_LIMIT = Duration.ofSeconds(5);
    /** How long {@link #connectTcp} waits for the handshake (the engine gives up on its own sooner or later). */
    private static final Duration CONNECT_LIMIT = Duration.ofSeconds(75);
    /** IPv4 (20) and TCP (20) headers without options: MSS = MTU - 40 (RFC 9293 §3.7.1, RFC 879). */
    private static final int TCP_IPV4_HEADERS = 40;
    /** RFC 6335 §6: the dynamic (ephemeral) port range, 49152–65535. */
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

    private final TapLoop loop;
    private final BufferPool pool;
    private final BufferPool streamPool;
    private final StreamLimits limits;
    private final FlowAdmission admission;
    private final StreamFlowCounters counters;
    private final Metrics metrics;
    private final EthernetInterface iface;
    private final IpConfig config;
    private final Entropy entropy;
    private final TcpStack tcp;
    private final Set<TapUdpEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final Set<TapTcpListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<TapTcpFlow> flows = ConcurrentHashMap.newKeySet();
    private final ReentrantLock handlersLock = new ReentrantLock();
    private final Condition handlersDone = handlersLock.newCondition();
    private int runningHandlers;
    private volatile boolean shutDown;

    TapNetworkStack(TapLoop loop, BufferPool pool, BufferPool streamPool, StreamLimits limits, Metrics metrics,
            Entropy entropy, IpConfig config) {
        this.loop = loop;
        this.pool = pool;
        this.streamPool = streamPool;
        this.limits = limits;
        this.admission = new FlowAdmission(limits.maxFlows(), limits.maxFlowsPerPrefix());
        this.counters = new StreamFlowCounters(metrics);
        metrics.gauge(StreamLimits.METRIC_OPEN, admission::open);
        this.metrics = metrics;
        this.entropy = entropy;
        this.config = config;
        this.iface = new EthernetInterface(config, pool, loop::transmit, entropy, metrics);
        Metrics.Counter tcpTxDropped = metrics.counter("tap.tcp.tx.dropped");
        TcpConfig tcpConfig = TcpConfig.defaults().withMss(Math.min(TcpConfig.defaults().mss(),
                config.mtu() - TCP_IPV4_HEADERS)).withListenBacklog(limits.backlog())
                // TcpFlow#write: stream flows send without Nagle (RFC 1122 §4.2.3.4 lets each
                // connection turn it off); handlers write whole units.
                .withNagle(false);
        int self = config.address().bits();
        this.tcp = new TcpStack(tcpConfig, pool, (source, destination, segment) -> {
            if (destination == self) {
                // A connection to our own address: delivered locally, as the next loop task (not
                // re-entrantly), since the IPv4 engine has no loopback (RFC 1122 §3.2.1.3 (g)
                // keeps such datagrams off the wire).
                deliverLocally(source, destination, segment);
                return;
            }
            SendOutcome o = iface.ip().send(IpProtocol.TCP, destination, segment, System.nanoTime());
            if (o != SendOutcome.SENT && o != SendOutcome.QUEUED) {
                tcpTxDropped.increment(); // TCP retransmits
            }
        }, entropy);
        // TcpOverIpv4's wiring, plus local delivery of segments to our own address (the IPv4
        // engine has no loopback yet); switch to TcpOverIpv4 once it has.
        iface.ip().register(IpProtocol.TCP, new ProtocolHandler() {
            @Override
            public void receive(PooledBuffer packet, Ipv4Header ip, long now) {
                tcp.receive(now, ip.source(), ip.destination(), packet);
            }

            @Override
            public void icmpError(IcmpError error, long now) {
                if (error.type() == Icmpv4Message.DESTINATION_UNREACHABLE) {
                    tcp.destinationUnreachable(now, error.source(), error.srcPort(), error.destination(),
                            error.dstPort(), error.tcpSequence(), error.code());
                }
            }
        });
        metrics.gauge("tap.tcp.connections", tcp::connectionCount);
    }

    /** A TCP segment from the stack to itself, waiting for the next poll. */
    private record LocalSegment(int source, int destination, PooledBuffer segment) {}

    /** Segments to our own address, delivered at the next poll (loop thread only). */
    private final java.util.ArrayDeque<LocalSegment> local = new java.util.ArrayDeque<>();

    private void deliverLocally(int source, int destination, PooledBuffer segment) {
        segment.forgetHeaders();
        local.add(new LocalSegment(source, destination, segment));
    }

    /** Delivers the queued local segments (those their delivery queues wait for the next poll). */
    private void drainLocal(long now) {
        for (int n = local.size(); n > 0; n--) {
            LocalSegment l = local.poll();
            tcp.receive(now, l.source(), l.destination(), l.segment());
        }
    }

    /** What the event loop drives: frames in, timers, and the gratuitous ARP at start. */
    LinkDriver driver() {
        return new LinkDriver() {
            private boolean started;

            @Override
            public void onFrame(PooledBuffer frame, long nowNanos) {
                iface.receiveFrame(frame, nowNanos);
            }

            @Override
            public long poll(long nowNanos) {
                if (!started) {
                    started = true;
                    iface.start(nowNanos); // RFC 5227 §3: announce the address once the link is up
                }
                drainLocal(nowNanos);
                long next = iface.poll(nowNanos);
                long tcpNext = tcp.nextDeadline();
                if (tcpNext != Long.MAX_VALUE && tcpNext - nowNanos <= 0) {
                    tcp.onTimer(nowNanos);
                    tcpNext = tcp.nextDeadline();
                }
                next = Math.min(next, tcpNext);
                if (!local.isEmpty()) {
                    return nowNanos; // answers to local segments wait: poll again at once
                }
                return next == Long.MAX_VALUE ? NO_DEADLINE : next;
            }
        };
    }

    TapLoop loop() {
        return loop;
    }

    EthernetInterface iface() {
        return iface;
    }

    Metrics metrics() {
        return metrics;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code local} must be this stack's IPv4 address or {@code 0.0.0.0}; IPv6 is not spoken
     * here. Port 0 picks a free port from the dynamic range (RFC 6335 §6).
     */
    @Override
    public UdpEndpoint bindUdp(InetSocketAddress local, DatagramHandler handler) throws IOException {
        java.util.Objects.requireNonNull(handler, "handler");
        if (shutDown) {
            throw new IOException("the tap target is shut down");
        }
        checkLocal(local);
        java.net.Inet4Address v4 = config.address().toInetAddress();
        TapUdpEndpoint endpoint = loop.call(() -> {
            int port = local.getPort() != 0 ? local.getPort() : freePort();
            if (port < 0) {
                throw new IOException("cannot bind " + local + ": no free UDP port in the dynamic range");
            }
            if (iface.udp().isBound(port)) {
                throw new IOException("cannot bind " + atoll.libos.net.Addresses.format(local) + ": UDP port " + port
                        + " is in use");
            }
            TapUdpEndpoint e = new TapUdpEndpoint(this, new InetSocketAddress(v4, port), port, handler);
            iface.udp().bind(port, e);
            return e;
        }, LOOP_CALL_LIMIT);
        endpoints.add(endpoint);
        return endpoint;
    }

    /** A free port in the dynamic range, from a random start; -1 if all are bound. Loop thread. */
    private int freePort() {
        int start = entropy.nextInt(EPHEMERAL_COUNT);
        for (int i = 0; i < EPHEMERAL_COUNT; i++) {
            int p = EPHEMERAL_FIRST + (start + i) % EPHEMERAL_COUNT;
            if (!iface.udp().isBound(p)) {
                return p;
            }
        }
        return -1;
    }

    /** Unbinds on the loop (the endpoint's close). */
    void closed(TapUdpEndpoint endpoint) {
        endpoints.remove(endpoint);
        Runnable unbind = () -> iface.udp().unbind(endpoint.port());
        if (loop.inLoop()) {
            unbind.run();
        } else {
            loop.execute(unbind);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code local} must be this stack's IPv4 address or {@code 0.0.0.0}; port 0 picks a free
     * port from the dynamic range.
     */
    @Override
    public TcpListener listenTcp(InetSocketAddress local, FlowHandler handler) throws IOException {
        java.util.Objects.requireNonNull(handler, "handler");
        if (shutDown) {
            throw new IOException("the tap target is shut down");
        }
        int address = checkLocal(local);
        TapTcpListener listener = loop.call(() -> {
            if (local.getPort() != 0) {
                TapTcpListener l = new TapTcpListener(this, new InetSocketAddress(
                        config.address().toInetAddress(), local.getPort()), handler);
                try {
                    l.attach(tcp.listen(address, local.getPort(), l));
                } catch (IllegalStateException e) {
                    throw new IOException("cannot listen on " + atoll.libos.net.Addresses.format(local) + ": TCP port "
                            + local.getPort() + " is in use");
                }
                return l;
            }
            // Port 0: a free port from the dynamic range (RFC 6335 §6), from a random start.
            int start = entropy.nextInt(EPHEMERAL_COUNT);
            for (int i = 0; i < EPHEMERAL_COUNT; i++) {
                int port = EPHEMERAL_FIRST + (start + i) % EPHEMERAL_COUNT;
                TapTcpListener l = new TapTcpListener(this, new InetSocketAddress(
                        config.address().toInetAddress(), port), handler);
                try {
                    l.attach(tcp.listen(address, port, l));
                    return l;
                } catch (IllegalStateException inUse) {
                    // next
                }
            }
            throw new IOException("cannot listen on " + local + ": no free TCP port in the dynamic range");
        }, LOOP_CALL_LIMIT);
        listeners.add(listener);
        return listener;
    }

    /** This stack's address for a bind to it or to 0.0.0.0; throws for anything else. */
    private int checkLocal(InetSocketAddress local) throws IOException {
        InetAddress a = local.getAddress();
        if (!(a instanceof Inet4Address v4)) {
            throw new IOException("cannot bind " + local + ": the tap target speaks IPv4 only (its address is "
                    + config.address() + ")");
        }
        int bits = Ipv4Address.of(v4).bits();
        if (bits != 0 && bits != config.address().bits()) {
            throw new IOException("cannot bind " + atoll.libos.net.Addresses.format(local)
                    + ": not an address of this stack (it has " + config.address() + ")");
        }
        return config.address().bits();
    }

    /** Opens a connection from this stack's address and an ephemeral port; waits for the handshake. */
    @Override
    public TcpFlow connectTcp(InetSocketAddress remote) throws IOException {
        if (shutDown) {
            throw new IOException("the tap target is shut down");
        }
        if (!(remote.getAddress() instanceof Inet4Address v4)) {
            throw new IOException("cannot connect to " + remote + ": the tap target speaks IPv4 only");
        }
        TapTcpFlow flow = new TapTcpFlow(this, null);
        flowOpened(flow);
        try {
            flow.attach(loop.call(() -> tcp.connect(System.nanoTime(), config.address().bits(), 0,
                    Ipv4Address.of(v4).bits(), remote.getPort(), flow), LOOP_CALL_LIMIT));
        } catch (IllegalStateException e) {
            flows.remove(flow);
            throw new IOException("cannot connect to " + atoll.libos.net.Addresses.format(remote) + ": "
                    + e.getMessage());
        }
        try {
            flow.awaitEstablished(CONNECT_LIMIT);
        } catch (IOException e) {
            flow.abort();
            throw e;
        }
        return flow;
    }

    void flowOpened(TapTcpFlow flow) {
        flows.add(flow);
    }

    /** A flow closed (by either side): it leaves the table and gives back its admission slot. */
    void flowClosed(TapTcpFlow flow) {
        flows.remove(flow);
        InetSocketAddress from = flow.admittedFrom;
        if (from != null) {
            admission.release(from.getAddress());
        }
    }

    /**
     * Admits an accepted connection from {@code source} under {@link StreamLimits}: past
     * {@code tcp.max-flows} the flow idle longest between units is closed to make room; past the
     * per-prefix limit, or with none idle, the connection is refused (counted).
     */
    boolean admit(InetSocketAddress source) {
        FlowAdmission.Outcome outcome = admission.admit(source.getAddress());
        if (outcome == FlowAdmission.Outcome.OVER_TOTAL) {
            TapTcpFlow idlest = null;
            for (TapTcpFlow f : flows) {
                if (f.admittedFrom != null && f.idleBetweenUnits()
                        && (idlest == null || f.idleSince() - idlest.idleSince() < 0)) {
                    idlest = f;
                }
            }
            if (idlest != null) {
                counters.evictedIdle();
                idlest.close();
                outcome = admission.admit(source.getAddress());
            }
        }
        return counters.admitted(outcome);
    }

    void timedOut(FlowTimeoutException.Deadline which) {
        counters.timedOut(which);
    }

    void bufferRefused(boolean poolEmpty) {
        counters.bufferRefused(poolEmpty);
    }

    StreamLimits limits() {
        return limits;
    }

    void listenerClosed(TapTcpListener listener) {
        listeners.remove(listener);
    }

    void handlerStarted() {
        handlersLock.lock();
        try {
            runningHandlers++;
        } finally {
            handlersLock.unlock();
        }
    }

    void handlerEnded() {
        handlersLock.lock();
        try {
            runningHandlers--;
            handlersDone.signalAll();
        } finally {
            handlersLock.unlock();
        }
    }

    /** Waits up to {@code limit} for every flow handler to return; true if they all did. */
    private boolean awaitHandlers(Duration limit) {
        long left = limit.toNanos();
        handlersLock.lock();
        try {
            while (runningHandlers > 0 && left > 0) {
                left = handlersDone.awaitNanos(left);
            }
            return runningHandlers == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            handlersLock.unlock();
        }
    }

    @Override
    public List<InetAddress> localAddresses() {
        return List.of(config.address().toInetAddress());
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
     * Closes every endpoint and releases what the engines hold (packets waiting for ARP,
     * fragments), on the loop thread, while it still runs.
     */
    void shutdown(Duration grace) {
        shutDown = true;
        for (TapTcpListener l : List.copyOf(listeners)) {
            l.close();
        }
        if (!awaitHandlers(grace)) {
            LOG.log(Level.INFO, "flow handlers still running after {0}: closing their flows under them", grace);
        }
        // Close what is left in order (FIN), so that peers see the end of the stream rather than
        // a reset; a handler blocked in read gets an IOException.
        for (TapTcpFlow f : List.copyOf(flows)) {
            f.close();
        }
        awaitHandlers(Duration.ofSeconds(1));
        awaitFinsAcknowledged(Duration.ofSeconds(1));
        for (TapUdpEndpoint e : List.copyOf(endpoints)) {
            e.close();
        }
        try {
            loop.call(() -> {
                tcp.shutdown(System.nanoTime()); // resets whatever has still not closed
                for (LocalSegment l; (l = local.poll()) != null; ) {
                    l.segment().release(); // resets to ourselves: nobody left to hear them
                }
                iface.close();
                return null;
            }, LOOP_CALL_LIMIT);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not release the stack's buffers on the loop: {0}", e.getMessage());
        }
    }

    /** Waits (bounded) until every connection's FIN has been acknowledged, or it has closed. */
    private void awaitFinsAcknowledged(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                boolean pending = loop.call(() -> {
                    for (TapTcpFlow f : flows) {
                        TcpState st = f.state();
                        if (st != null && st != TcpState.FIN_WAIT_2 && st != TcpState.TIME_WAIT
                                && st != TcpState.CLOSED) {
                            return true;
                        }
                    }
                    return false;
                }, LOOP_CALL_LIMIT);
                if (!pending) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "not waiting for FINs: {0}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
