package atoll.stack;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.stack.arp.ArpEngine;
import atoll.stack.arp.ArpLimits;
import atoll.stack.icmp.Icmpv4Engine;
import atoll.stack.ip.IpConfig;
import atoll.stack.ip.Ipv4Engine;
import atoll.stack.ip.ReassemblyLimits;
import atoll.stack.link.FrameSink;
import atoll.stack.udp.UdpEngine;
import atoll.stack.wire.EthernetFrame;
import atoll.stack.wire.MacAddress;
import atoll.stack.wire.Verdict;

/**
 * One Ethernet interface with its engines wired together: ARP, IPv4, ICMPv4 and UDP (TCP registers
 * with {@link #ip()} for protocol 6). The target drives it: every frame read from the device goes
 * to {@link #receiveFrame}, {@link #poll} runs the timers when {@link #poll}'s last answer comes
 * due, and frames to write leave through the {@link FrameSink}. Sans-I/O and single-threaded.
 */
public final class EthernetInterface implements AutoCloseable {
    /** RFC 1812 §4.3.2.8-style limit on ICMP errors: 10 per second, bursts of 10. */
    public static final int ICMP_ERRORS_PER_SECOND = 10;

    private final IpConfig config;
    private final ArpEngine arp;
    private final Ipv4Engine ip;
    private final Icmpv4Engine icmp;
    private final UdpEngine udp;
    private final EthernetFrame view = new EthernetFrame();
    private final Metrics.Counter rxMalformed;
    private final Metrics.Counter rxNotForUs;
    private final Metrics.Counter rxUnknownType;

    public EthernetInterface(IpConfig config, BufferPool pool, FrameSink sink, Entropy entropy, Metrics metrics,
            ArpLimits arpLimits, ReassemblyLimits reassemblyLimits) {
        this.config = config;
        this.arp = new ArpEngine(config.mac(), config.address(), pool, sink, metrics, arpLimits);
        this.ip = new Ipv4Engine(config, arp, pool, entropy, metrics, reassemblyLimits);
        this.icmp = new Icmpv4Engine(ip, pool, metrics, ICMP_ERRORS_PER_SECOND, ICMP_ERRORS_PER_SECOND);
        this.udp = new UdpEngine(ip, icmp, metrics);
        this.rxMalformed = metrics.counter("eth.rx.malformed");
        this.rxNotForUs = metrics.counter("eth.rx.not_for_us");
        this.rxUnknownType = metrics.counter("eth.rx.unknown_type");
    }

    /** With the default ARP and reassembly limits. */
    public EthernetInterface(IpConfig config, BufferPool pool, FrameSink sink, Entropy entropy, Metrics metrics) {
        this(config, pool, sink, entropy, metrics, ArpLimits.defaults(), ReassemblyLimits.defaults());
    }

    public IpConfig config() {
        return config;
    }

    public ArpEngine arp() {
        return arp;
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

    /** Announces the address (gratuitous ARP); call once when the link comes up. */
    public void start(long now) {
        arp.announce(now);
    }

    /**
     * Handles one frame as read from the device (the buffer's window: Ethernet header first).
     * Takes ownership. Never throws on any content.
     */
    public void receiveFrame(PooledBuffer frame, long now) {
        // A frame from an in-memory link may still carry the sender's recorded headers; this is a
        // new reception, recorded afresh.
        frame.forgetHeaders();
        if (view.check(frame) != Verdict.OK) {
            rxMalformed.increment();
            frame.release();
            return;
        }
        long dst = view.destination();
        if (dst != config.mac().bits() && dst != MacAddress.BROADCAST.bits()) {
            rxNotForUs.increment(); // other hosts' unicast, and multicast we have not joined
            frame.release();
            return;
        }
        int type = view.etherType();
        frame.consumeHeader(HeaderLayer.LINK, EthernetFrame.HEADER_LENGTH);
        switch (type) {
            case EthernetFrame.TYPE_IPV4 -> ip.receive(frame, dst == MacAddress.BROADCAST.bits(), now);
            case EthernetFrame.TYPE_ARP -> arp.receive(frame, now);
            default -> {
                rxUnknownType.increment(); // IPv6, VLAN tags, 802.3 lengths: not spoken here
                frame.release();
            }
        }
    }

    /**
     * Runs every timer due at {@code now}.
     *
     * @return when to call again (monotonic nanoseconds), or {@link Long#MAX_VALUE} if nothing
     *     is pending
     */
    public long poll(long now) {
        return Math.min(arp.poll(now), ip.poll(now));
    }

    /** Releases every buffer the engines hold (queued and fragment buffers). */
    @Override
    public void close() {
        arp.close();
        ip.close();
    }
}
