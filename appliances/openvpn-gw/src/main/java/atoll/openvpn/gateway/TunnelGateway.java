package atoll.openvpn.gateway;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.NetworkStack;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import atoll.stack.PointToPointInterface;
import atoll.stack.ip.IcmpError;
import atoll.stack.ip.IpConfig;
import atoll.stack.ip.ProtocolHandler;
import atoll.stack.link.Ipv4Link;
import atoll.stack.link.SendOutcome;
import atoll.stack.tcp.TcpConfig;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpOverIpv4;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.Ipv4Header;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway behind the tunnel: the clients' IPv4 packets end in libos's own stack (a
 * {@link PointToPointInterface} with the gateway's tunnel address), which answers ICMP echo to that
 * address and terminates every TCP connection a client opens to any address
 * ({@code acceptAnyDestination} and a transparent TCP listener). Each admitted connection is
 * relayed to the same address and port through the host's {@link NetworkStack} ({@link TcpRelay}):
 * a user-space NAT, as slirp does it, with the gateway's own host address as the outside source.
 * The {@link DestinationPolicy} decides what is admitted; a refused TCP connection is reset, and a
 * UDP datagram or echo request beyond the gateway is answered with ICMP "communication
 * administratively prohibited" (RFC 1812 §5.2.7.1, code 13); each is counted. UDP is not relayed
 * (see CONFORMANCE.md).
 *
 * <p>Threading: every call into the stack holds {@link #lock()}, the same lock the control channel
 * engines run under (sealing a packet to a client goes through them). The relays' virtual threads
 * take it for each read from or write to a tunnelled connection; the stack's timers run from a
 * {@link Clock} timer armed at the stack's next deadline.
 */
public final class TunnelGateway implements AutoCloseable {
    /** RFC 1812 §5.2.7.1: destination unreachable, "communication administratively prohibited". */
    static final int ADMINISTRATIVELY_PROHIBITED = 13;
    /** IPv4 (20) and TCP (20) headers without options: MSS = MTU - 40 (RFC 9293 §3.7.1). */
    private static final int TCP_IPV4_HEADERS = 40;

    /** Where packets for a client go: seal them to the client holding {@code tunnelAddress}. */
    @FunctionalInterface
    public interface ToClients {
        /** Takes ownership of {@code datagram} (its window is the IPv4 datagram); false if no client has the address. */
        boolean send(int tunnelAddress, PooledBuffer datagram);
    }

    private final ReentrantLock lock;
    private final Clock clock;
    private final NetworkStack host;
    private final BufferPool pool;
    private final DestinationPolicy policy;
    private final PointToPointInterface iface;
    private final TcpOverIpv4 tcp;
    private final int address;
    private final Metrics.Counter tcpRelayed;
    private final Metrics.Counter tcpRefused;
    private final Metrics.Counter tcpUpstreamFailed;
    private final Metrics.Counter udpRefused;
    private final Metrics.Counter icmpRefused;
    private final Metrics.Counter noClient;
    private final Metrics.Counter noBuffer;
    private Timer timer;
    private long armedFor = Long.MAX_VALUE;
    private boolean closed;

    /**
     * @param address the gateway's tunnel address (the pool's server address)
     * @param prefixLength the tunnel subnet's
     * @param mtu the tunnel MTU (OpenVPN's tun-mtu)
     * @param pool the tunnel stack's buffers: headroom for IPv4 and TCP headers, room for an MTU
     */
    public TunnelGateway(ReentrantLock lock, Clock clock, Entropy entropy, Metrics metrics, NetworkStack host,
            BufferPool pool, Ipv4Address address, int prefixLength, int mtu, DestinationPolicy policy, ToClients clients) {
        this.lock = lock;
        this.clock = clock;
        this.host = host;
        this.pool = pool;
        this.policy = policy;
        this.address = address.bits();
        this.noClient = metrics.counter("gateway.tx.no-client");
        this.noBuffer = metrics.counter("gateway.no-buffer");
        Ipv4Link link = new Ipv4Link() {
            @Override
            public SendOutcome send(int nextHop, PooledBuffer datagram, long now) {
                if (!clients.send(nextHop, datagram)) {
                    noClient.increment();
                    return SendOutcome.NO_ROUTE;
                }
                return SendOutcome.SENT;
            }

            @Override
            public SendOutcome sendBroadcast(PooledBuffer datagram) {
                datagram.release(); // nothing is broadcast into the tunnel (client-to-client is not offered)
                return SendOutcome.NO_ROUTE;
            }
        };
        this.iface = new PointToPointInterface(IpConfig.pointToPoint(address, prefixLength, mtu), pool, link, entropy,
                metrics);
        iface.ip().acceptAnyDestination(true);
        TcpConfig config = TcpConfig.defaults().withMss(Math.min(TcpConfig.defaults().mss(), mtu - TCP_IPV4_HEADERS));
        this.tcp = new TcpOverIpv4(iface.ip(), config, pool, entropy);
        this.tcpRelayed = metrics.counter("gateway.tcp.relayed");
        this.tcpRefused = metrics.counter("gateway.tcp.refused");
        this.tcpUpstreamFailed = metrics.counter("gateway.tcp.upstream-failed");
        this.udpRefused = metrics.counter("gateway.udp.refused");
        this.icmpRefused = metrics.counter("gateway.icmp.refused");
        metrics.gauge("gateway.tcp.connections", tcp.tcp()::connectionCount);
        tcp.tcp().listenTransparent(this::admits, this::accepted);
        // ICMP: echo to our own address goes to the ICMP engine; anything else beyond us is refused.
        ProtocolHandler icmp = iface.icmp();
        iface.ip().register(IpProtocol.ICMP, new ProtocolHandler() {
            @Override
            public void receive(PooledBuffer packet, Ipv4Header ip, long now) {
                if (ip.destination() == TunnelGateway.this.address) {
                    icmp.receive(packet, ip, now);
                } else {
                    refuse(icmpRefused, packet, ip, now);
                }
            }

            @Override
            public void icmpError(IcmpError error, long now) {
                icmp.icmpError(error, now);
            }
        });
        // UDP: not relayed; refused whether the policy allows the destination or not, and counted.
        iface.udp().bindTransparent((payload, src, srcPort, dst, dstPort, now) -> {
            udpRefused.increment();
            iface.icmp().sendError(Icmpv4Message.DESTINATION_UNREACHABLE, ADMINISTRATIVELY_PROHIBITED, 0,
                    payload.memory(), payload.headerOffset(HeaderLayer.NETWORK),
                    payload.end() - payload.headerOffset(HeaderLayer.NETWORK), now);
            payload.release();
        });
    }

    private void refuse(Metrics.Counter counter, PooledBuffer packet, Ipv4Header ip, long now) {
        counter.increment();
        iface.icmp().sendError(Icmpv4Message.DESTINATION_UNREACHABLE, ADMINISTRATIVELY_PROHIBITED, 0, packet.memory(),
                packet.headerOffset(HeaderLayer.NETWORK), ip.totalLength(), now);
        packet.release();
    }

    private boolean admits(int remoteAddr, int remotePort, int localAddr, int localPort) {
        // Nothing listens on the gateway's own tunnel address; beyond it, the policy decides.
        boolean ok = localAddr != address && policy.allows(localAddr, localPort);
        if (!ok) {
            tcpRefused.increment();
        }
        return ok;
    }

    private TcpHandler accepted(TcpConnection c) {
        tcpRelayed.increment();
        TcpRelay relay = new TcpRelay(this, c,
                new InetSocketAddress(new Ipv4Address(c.localAddress()).toInetAddress(), c.localPort()));
        relay.start();
        return relay;
    }

    ReentrantLock lock() {
        return lock;
    }

    NetworkStack host() {
        return host;
    }

    void upstreamFailed() {
        tcpUpstreamFailed.increment();
    }

    /** Sets the stack's time before an application call (the relays'); under the lock. */
    void touch() {
        tcp.tcp().setTime(clock.nanoTime());
    }

    /**
     * One IPv4 packet from a client (decrypted, its source checked). Under the lock. Never throws
     * for any content: defects are counted by the stack's engines and dropped.
     */
    public void receive(byte[] packet) {
        if (closed) {
            return;
        }
        PooledBuffer b = pool.tryAcquire();
        if (b == null || b.tailroom() < packet.length) {
            if (b != null) {
                b.release();
            }
            noBuffer.increment();
            return;
        }
        b.put(packet, 0, packet.length);
        iface.receivePacket(b, clock.nanoTime());
        rearm();
    }

    /** Arms the stack's timer at its next deadline if that is earlier than the one armed. Under the lock. */
    void rearm() {
        if (closed) {
            return;
        }
        long next = Math.min(tcp.tcp().nextDeadline(), iface.poll(clock.nanoTime()));
        if (next == Long.MAX_VALUE || (armedFor != Long.MAX_VALUE && next - armedFor >= 0)) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        armedFor = next;
        timer = clock.schedule(Duration.ofNanos(Math.max(0, next - clock.nanoTime())), this::fire);
    }

    private void fire() {
        lock.lock();
        try {
            armedFor = Long.MAX_VALUE;
            timer = null;
            if (closed) {
                return;
            }
            long now = clock.nanoTime();
            tcp.tcp().onTimer(now);
            iface.poll(now);
            rearm();
        } catch (RuntimeException e) {
            System.getLogger("openvpn-gw").log(System.Logger.Level.WARNING, "tunnel stack timer: " + e);
        } finally {
            lock.unlock();
        }
    }

    /** Resets every tunnelled connection and releases the stack's buffers. Under the lock. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        tcp.tcp().shutdown(clock.nanoTime());
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        iface.close();
    }
}
