package atoll.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.stack.EthernetInterface;
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

/**
 * The network stack the tap target gives the appliance: Atoll's own Ethernet/ARP/IPv4/ICMP/UDP
 * engines ({@link EthernetInterface}) over the TAP device, driven by the {@link TapLoop}. Every
 * engine call happens on the loop thread; calls from other threads (a bind, a send from a virtual
 * thread) are handed to the loop.
 *
 * <p>IPv4 only, one address. UDP endpoints bind the stack's address or {@code 0.0.0.0} (the same
 * thing here). <b>TCP is not implemented yet</b> on this target: {@link #listenTcp} and
 * {@link #connectTcp} throw.
 */
final class TapNetworkStack implements NetworkStack {
    private static final System.Logger LOG = System.getLogger("atoll.tap");
    /** How long a bind from another thread waits for the loop to answer. */
    private static final Duration LOOP_CALL_LIMIT = Duration.ofSeconds(5);
    /** RFC 6335 §6: the dynamic (ephemeral) port range, 49152–65535. */
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

    private final TapLoop loop;
    private final BufferPool pool;
    private final Metrics metrics;
    private final EthernetInterface iface;
    private final IpConfig config;
    private final Entropy entropy;
    private final Set<TapUdpEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;

    TapNetworkStack(TapLoop loop, BufferPool pool, Metrics metrics, Entropy entropy, IpConfig config) {
        this.loop = loop;
        this.pool = pool;
        this.metrics = metrics;
        this.entropy = entropy;
        this.config = config;
        this.iface = new EthernetInterface(config, pool, loop::transmit, entropy, metrics);
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
                long next = iface.poll(nowNanos);
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

    @Override
    public TcpListener listenTcp(InetSocketAddress local, FlowHandler handler) throws IOException {
        throw new IOException("TCP is not implemented on the tap target yet");
    }

    @Override
    public TcpFlow connectTcp(InetSocketAddress remote) throws IOException {
        throw new IOException("TCP is not implemented on the tap target yet");
    }

    @Override
    public List<InetAddress> localAddresses() {
        return List.of(config.address().toInetAddress());
    }

    @Override
    public BufferPool bufferPool() {
        return pool;
    }

    /**
     * Closes every endpoint and releases what the engines hold (packets waiting for ARP,
     * fragments), on the loop thread, while it still runs.
     */
    void shutdown(Duration grace) {
        shutDown = true;
        for (TapUdpEndpoint e : List.copyOf(endpoints)) {
            e.close();
        }
        try {
            loop.call(() -> {
                iface.close();
                return null;
            }, LOOP_CALL_LIMIT);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not release the stack's buffers on the loop: {0}", e.getMessage());
        }
    }
}
