package atoll.stack;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.stack.icmp.Icmpv4Engine;
import atoll.stack.ip.IpConfig;
import atoll.stack.ip.Ipv4Engine;
import atoll.stack.ip.ReassemblyLimits;
import atoll.stack.link.Ipv4Link;
import atoll.stack.udp.UdpEngine;

/**
 * One point-to-point IPv4 interface with its engines wired together: IPv4, ICMPv4 and UDP over a
 * link that carries bare IPv4 datagrams (a tunnel: OpenVPN's tun, WireGuard, a GRE link), so no
 * Ethernet and no ARP. TCP registers with {@link #ip()} for protocol 6 ({@code TcpOverIpv4}), as
 * on {@link EthernetInterface}. The target drives it: every datagram read from the link goes to
 * {@link #receivePacket}, {@link #poll} runs the timers, and datagrams to send leave through the
 * {@link Ipv4Link} given at construction with the destination as next hop (broadcasts through
 * {@link Ipv4Link#sendBroadcast}). Sans-I/O and single-threaded; not re-entrant while it handles
 * a received datagram, like {@link EthernetInterface}.
 */
public final class PointToPointInterface implements AutoCloseable {
    private final IpConfig config;
    private final Ipv4Engine ip;
    private final Icmpv4Engine icmp;
    private final UdpEngine udp;

    /**
     * @param config from {@link IpConfig#pointToPoint}
     * @param pool its headroom must hold the lower layers' headers (IPv4, TCP) plus whatever the
     *     link prepends
     */
    public PointToPointInterface(IpConfig config, BufferPool pool, Ipv4Link link, Entropy entropy, Metrics metrics,
            ReassemblyLimits reassemblyLimits) {
        this.config = config;
        this.ip = new Ipv4Engine(config, link, pool, entropy, metrics, reassemblyLimits);
        this.icmp = new Icmpv4Engine(ip, pool, metrics, EthernetInterface.ICMP_ERRORS_PER_SECOND,
                EthernetInterface.ICMP_ERRORS_PER_SECOND);
        this.udp = new UdpEngine(ip, icmp, metrics);
    }

    /** With the default reassembly limits. */
    public PointToPointInterface(IpConfig config, BufferPool pool, Ipv4Link link, Entropy entropy, Metrics metrics) {
        this(config, pool, link, entropy, metrics, ReassemblyLimits.defaults());
    }

    public IpConfig config() {
        return config;
    }

    public Ipv4Engine ip() {
        return ip;
    }

    public Icmpv4Engine icmp() {
        return icmp;
    }

    public UdpEngine udp() {
        return udp;
    }

    /**
     * Handles one IPv4 datagram as it came off the link (the buffer's window, IPv4 header first).
     * Takes ownership. Never throws on any content.
     */
    public void receivePacket(PooledBuffer packet, long now) {
        packet.forgetHeaders(); // a new reception, recorded afresh
        ip.receive(packet, false, now);
    }

    /**
     * Runs every timer due at {@code now} (fragment reassembly).
     *
     * @return when to call again (monotonic nanoseconds), or {@link Long#MAX_VALUE}
     */
    public long poll(long now) {
        return ip.poll(now);
    }

    /** Releases every buffer the engines hold (fragments being reassembled). */
    @Override
    public void close() {
        ip.close();
    }
}
