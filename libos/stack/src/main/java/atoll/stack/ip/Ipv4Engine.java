package atoll.stack.ip;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.stack.link.Ipv4Link;
import atoll.stack.link.SendOutcome;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.wire.Ipv4Repr;
import atoll.stack.wire.Verdict;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * IPv4 for a host with one statically configured interface (RFC 791, RFC 1122 §3), sans-I/O.
 *
 * <p>Receive: {@link #receive} validates the header (version, lengths, checksum: every defect is
 * counted under {@code ip.rx.<verdict>} and dropped), accepts datagrams for our address and for
 * broadcast, reassembles fragments, and hands the payload to the {@link ProtocolHandler}
 * registered for its protocol — or answers "protocol unreachable". A host does not forward.
 *
 * <p>Send: {@link #send} picks the next hop (on-link destination or the gateway), prepends the
 * header, fragments when the datagram exceeds the path MTU (unless Don't Fragment is asked for),
 * and hands the result to ARP.
 *
 * <p>Not thread-safe: one event loop drives it. Time comes in as {@code now} (monotonic ns).
 */
public final class Ipv4Engine {
    /** RFC 1191 §6.3: "The recommended timeout is 10 minutes." */
    private static final long PMTU_AGING_NANOS = Duration.ofMinutes(10).toNanos();

    private final IpConfig config;
    private final Ipv4Link link;
    private final BufferPool pool;
    private final Reassembler reassembler;
    private final PathMtuTable pathMtu;
    private final ProtocolHandler[] handlers = new ProtocolHandler[256];
    private final Ipv4Header view = new Ipv4Header();
    private IcmpErrorSender errors = IcmpErrorSender.NONE;
    private int nextIdentification;
    private int ttl = Ipv4Header.DEFAULT_TTL;
    private boolean receivingLinkBroadcast;
    private boolean acceptAnyDestination;

    private final Metrics.Counter[] rxDefects = new Metrics.Counter[Verdict.values().length];
    private final Metrics.Counter rxNotForUs;
    private final Metrics.Counter rxBadSource;
    private final Metrics.Counter rxUnknownProtocol;
    private final Metrics.Counter rxDelivered;
    private final Metrics.Counter txNoRoute;
    private final Metrics.Counter txTooBig;
    private final Metrics.Counter txNoBuffer;
    private final Metrics.Counter txFragments;

    /**
     * @param link where finished datagrams go: ARP on Ethernet ({@link atoll.stack.arp.ArpEngine}),
     *     or a point-to-point link's carrier
     */
    public Ipv4Engine(IpConfig config, Ipv4Link link, BufferPool pool, Entropy entropy, Metrics metrics,
            ReassemblyLimits limits) {
        this.config = config;
        this.link = link;
        this.pool = pool;
        this.reassembler = new Reassembler(pool, limits, metrics);
        this.pathMtu = new PathMtuTable(config.mtu(), 256, PMTU_AGING_NANOS);
        // RFC 6864 §4: the identification need only be unique per source, destination and
        // protocol for the datagram's lifetime; a counter from a random start does that.
        this.nextIdentification = entropy.nextInt(0x10000);
        for (Verdict v : Verdict.values()) {
            if (v != Verdict.OK) {
                rxDefects[v.ordinal()] = metrics.counter("ip.rx." + v.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        this.rxNotForUs = metrics.counter("ip.rx.not_for_us");
        this.rxBadSource = metrics.counter("ip.rx.bad_source");
        this.rxUnknownProtocol = metrics.counter("ip.rx.unknown_protocol");
        this.rxDelivered = metrics.counter("ip.rx.delivered");
        this.txNoRoute = metrics.counter("ip.tx.no_route");
        this.txTooBig = metrics.counter("ip.tx.too_big");
        this.txNoBuffer = metrics.counter("ip.tx.no_buffer");
        this.txFragments = metrics.counter("ip.tx.fragments");
    }

    public IpConfig config() {
        return config;
    }

    /** The path-MTU estimates, fed by ICMP "fragmentation needed". */
    public PathMtuTable pathMtu() {
        return pathMtu;
    }

    /** Registers the handler for an IPv4 protocol number ({@link atoll.stack.wire.IpProtocol}). */
    public void register(int protocol, ProtocolHandler handler) {
        handlers[protocol & 0xff] = handler;
    }

    /** The handler registered for {@code protocol}, or null. */
    public ProtocolHandler handler(int protocol) {
        return handlers[protocol & 0xff];
    }

    /** Where protocol-unreachable and reassembly-timeout reports go (the ICMP engine). */
    public void errors(IcmpErrorSender sender) {
        this.errors = sender;
    }

    /**
     * Terminates datagrams to any unicast address, not only ours: for a gateway that ends the
     * flows passing through it in its own transports and relays them (a transparent proxy, as
     * Linux's {@code IP_TRANSPARENT} sockets and slirp do), such as a VPN gateway in front of its
     * tunnel. Off by default: RFC 1122 §3.2.1.3 has a host discard datagrams not addressed to it.
     * While on, {@link #send(int, int, int, int, boolean, PooledBuffer, long)} may also use a
     * source other than our address (the terminated flow's destination, answering for it).
     */
    public void acceptAnyDestination(boolean on) {
        this.acceptAnyDestination = on;
    }

    public boolean acceptsAnyDestination() {
        return acceptAnyDestination;
    }

    /** TTL of datagrams we originate (RFC 1122 §3.2.1.7: configurable; default 64). */
    public void ttl(int value) {
        if (value < 1 || value > 255) {
            throw new IllegalArgumentException("TTL " + value + " not in 1..255");
        }
        this.ttl = value;
    }

    /**
     * Handles a received datagram: the buffer's window starts at the IPv4 header (the link header
     * consumed). Takes ownership.
     */
    public void receive(PooledBuffer packet, long now) {
        receive(packet, false, now);
    }

    /**
     * As {@link #receive(PooledBuffer, long)}, saying whether the frame was a link-layer
     * broadcast: while it is handled, {@link #receivingLinkBroadcast()} says so, and no ICMP
     * error answers it (RFC 1122 §3.2.2).
     */
    public void receive(PooledBuffer packet, boolean linkBroadcast, long now) {
        receivingLinkBroadcast = linkBroadcast;
        try {
            receiveDatagram(packet, now);
        } finally {
            receivingLinkBroadcast = false;
        }
    }

    /** True while a datagram that arrived as a link-layer broadcast is being handled. */
    public boolean receivingLinkBroadcast() {
        return receivingLinkBroadcast;
    }

    private void receiveDatagram(PooledBuffer packet, long now) {
        Verdict v = view.check(packet);
        if (v != Verdict.OK) {
            rxDefects[v.ordinal()].increment();
            packet.release();
            return;
        }
        int dst = view.destination();
        int src = view.source();
        // RFC 1122 §3.2.1.3: a host "MUST silently discard" datagrams not addressed to it (no
        // forwarding here); multicast is not joined, so it is not for us either.
        if (dst != config.address().bits() && !config.isBroadcast(dst)
                && !(acceptAnyDestination && dst != 0 && !Ipv4Address.isMulticast(dst))) {
            rxNotForUs.increment();
            packet.release();
            return;
        }
        // RFC 1122 §3.2.1.3: "An IP host MUST silently discard an incoming datagram containing an IP
        // source address that is invalid by the rules of this section" (broadcast or multicast).
        if (src == -1 || Ipv4Address.isMulticast(src) || config.isBroadcast(src)
                || (src == config.address().bits())) {
            rxBadSource.increment();
            packet.release();
            return;
        }
        packet.truncate(view.totalLength()); // link padding is not part of the datagram (RFC 894)
        if (view.isFragment()) {
            packet = reassembler.add(packet, view, now);
            if (packet == null) {
                return;
            }
            if (view.check(packet) != Verdict.OK) { // our own reassembly: cannot fail, but never trust
                rxDefects[Verdict.BAD_LENGTH.ordinal()].increment();
                packet.release();
                return;
            }
        }
        packet.consumeHeader(HeaderLayer.NETWORK, view.headerLength());
        ProtocolHandler h = handlers[view.protocol()];
        if (h == null) {
            rxUnknownProtocol.increment();
            // RFC 1122 §3.2.2.1: a host SHOULD generate Destination Unreachable messages with code
            // 2 (Protocol Unreachable) when the designated transport protocol is not supported.
            if (!config.isBroadcast(dst)) {
                errors.sendError(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.PROTOCOL_UNREACHABLE, 0,
                        packet.memory(), packet.headerOffset(HeaderLayer.NETWORK), view.totalLength(), now);
            }
            packet.release();
            return;
        }
        rxDelivered.increment();
        h.receive(packet, view, now);
    }

    /** Sends with the default TTL, TOS 0 and fragmentation allowed. See the full form. */
    public SendOutcome send(int protocol, int destination, PooledBuffer payload, long now) {
        return send(protocol, destination, 0, false, payload, now);
    }

    /**
     * Sends {@code payload} (the buffer's window: transport header and data) to
     * {@code destination} from our address. Takes ownership in every outcome.
     *
     * @param dontFragment set DF: a datagram larger than the path MTU is then refused with
     *     {@link SendOutcome#TOO_BIG} instead of fragmented (TCP's path-MTU discovery, RFC 1191)
     */
    public SendOutcome send(int protocol, int destination, int tos, boolean dontFragment, PooledBuffer payload,
            long now) {
        return send(protocol, config.address().bits(), destination, tos, dontFragment, payload, now);
    }

    /**
     * As {@link #send(int, int, int, boolean, PooledBuffer, long)}, from {@code source}: our
     * address, or, with {@link #acceptAnyDestination} on, the address a terminated flow was sent
     * to (anything else is refused as {@link SendOutcome#NO_ROUTE}). Takes ownership in every
     * outcome.
     */
    public SendOutcome send(int protocol, int source, int destination, int tos, boolean dontFragment,
            PooledBuffer payload, long now) {
        if (source != config.address().bits()
                && (!acceptAnyDestination || source == 0 || Ipv4Address.isMulticast(source) || config.isBroadcast(source))) {
            return drop(payload, txNoRoute, SendOutcome.NO_ROUTE);
        }
        boolean broadcast = config.isBroadcast(destination);
        int nextHop;
        if (broadcast) {
            nextHop = destination;
        } else if (destination == config.address().bits() || destination == 0 || Ipv4Address.isMulticast(destination)) {
            // No loopback and no multicast on this interface (see CONFORMANCE.md).
            return drop(payload, txNoRoute, SendOutcome.NO_ROUTE);
        } else if (config.onLink(destination)) {
            nextHop = destination;
        } else if (config.gateway().isPresent()) {
            nextHop = config.gateway().get().bits();
        } else {
            return drop(payload, txNoRoute, SendOutcome.NO_ROUTE);
        }
        int mtu = broadcast ? config.mtu() : pathMtu.mtu(destination, now);
        int payloadLength = payload.length();
        if (Ipv4Header.MIN_LENGTH + payloadLength > Ipv4Header.MAX_DATAGRAM) {
            return drop(payload, txTooBig, SendOutcome.TOO_BIG);
        }
        int id = nextIdentification++ & 0xffff;
        int src = source;
        if (Ipv4Header.MIN_LENGTH + payloadLength <= mtu) {
            if (payload.headroom() < Ipv4Header.MIN_LENGTH) {
                return drop(payload, txNoBuffer, SendOutcome.NO_BUFFER);
            }
            payload.pushHeader(HeaderLayer.NETWORK, Ipv4Header.MIN_LENGTH);
            Ipv4Repr.emit(payload.memory(), payload.start(), tos, id, dontFragment ? Ipv4Header.DF : 0, ttl, protocol,
                    src, destination, payloadLength);
            return hand(nextHop, broadcast, payload, now);
        }
        if (dontFragment) {
            return drop(payload, txTooBig, SendOutcome.TOO_BIG);
        }
        // RFC 791 §3.2 fragmentation: each fragment carries a multiple of 8 payload octets except
        // the last, the same identification, MF on all but the last, and its offset in 8-octet
        // units.
        int chunk = (mtu - Ipv4Header.MIN_LENGTH) & ~7;
        SendOutcome outcome = SendOutcome.SENT;
        try {
            for (int off = 0; off < payloadLength; off += chunk) {
                int len = Math.min(chunk, payloadLength - off);
                PooledBuffer f = pool.tryAcquire();
                if (f == null || f.tailroom() < len || f.headroom() < Ipv4Header.MIN_LENGTH) {
                    if (f != null) {
                        f.release();
                    }
                    txNoBuffer.increment();
                    return SendOutcome.NO_BUFFER;
                }
                MemorySegment.copy(payload.memory(), payload.start() + off, f.memory(), f.end(), len);
                f.window(f.start(), f.end() + len);
                boolean more = off + len < payloadLength;
                f.pushHeader(HeaderLayer.NETWORK, Ipv4Header.MIN_LENGTH);
                Ipv4Repr.emit(f.memory(), f.start(), tos, id, (more ? Ipv4Header.MF : 0) | (off / 8), ttl, protocol,
                        src, destination, len);
                txFragments.increment();
                SendOutcome o = hand(nextHop, broadcast, f, now);
                if (o != SendOutcome.SENT) {
                    outcome = o;
                }
            }
            return outcome;
        } finally {
            payload.release();
        }
    }

    /** Runs the reassembly timer. @return the next deadline, or {@link Long#MAX_VALUE} */
    public long poll(long now) {
        return reassembler.poll(now, errors);
    }

    /** Datagrams currently being reassembled. */
    public int reassembling() {
        return reassembler.datagramsHeld();
    }

    /** Releases everything held (fragments). */
    public void close() {
        reassembler.close();
    }

    private SendOutcome hand(int nextHop, boolean broadcast, PooledBuffer datagram, long now) {
        return broadcast ? link.sendBroadcast(datagram) : link.send(nextHop, datagram, now);
    }

    private static SendOutcome drop(PooledBuffer b, Metrics.Counter counter, SendOutcome outcome) {
        counter.increment();
        b.release();
        return outcome;
    }
}
