package atoll.stack.icmp;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.stack.ip.IcmpError;
import atoll.stack.ip.IcmpErrorSender;
import atoll.stack.ip.Ipv4Engine;
import atoll.stack.ip.ProtocolHandler;
import atoll.stack.wire.BigEndian;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.Icmpv4Repr;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.wire.Verdict;
import java.lang.foreign.MemorySegment;

/**
 * ICMPv4 for a host (RFC 792, RFC 1122 §3.2.2), sans-I/O: answers echo requests, turns
 * "fragmentation needed" into path-MTU estimates (RFC 1191), hands other errors about our
 * datagrams to the transport that sent them, and sends rate-limited error messages for the IPv4
 * and UDP engines ({@link IcmpErrorSender}).
 */
public final class Icmpv4Engine implements ProtocolHandler, IcmpErrorSender {
    /**
     * RFC 1812 §4.3.2.3: an error message quotes "as much of the original datagram as possible
     * without the length of the ICMP datagram exceeding 576 bytes".
     */
    private static final int MAX_ERROR_DATAGRAM = 576;

    private final Ipv4Engine ip;
    private final BufferPool pool;
    private final RateLimiter errorLimiter;
    private final Icmpv4Message view = new Icmpv4Message();

    private final Metrics.Counter rxMalformed;
    private final Metrics.Counter rxEchoRequests;
    private final Metrics.Counter rxBroadcastEcho;
    private final Metrics.Counter rxErrors;
    private final Metrics.Counter rxIgnored;
    private final Metrics.Counter txEchoReplies;
    private final Metrics.Counter txErrors;
    private final Metrics.Counter txErrorsLimited;
    private final Metrics.Counter txErrorsSuppressed;
    private final Metrics.Counter noBuffer;

    /**
     * Registers itself with {@code ip} for protocol 1 and as its error sender.
     *
     * @param errorsPerSecond sustained rate of error messages; {@code errorBurst} may go at once
     */
    public Icmpv4Engine(Ipv4Engine ip, BufferPool pool, Metrics metrics, int errorsPerSecond, int errorBurst) {
        this.ip = ip;
        this.pool = pool;
        this.errorLimiter = new RateLimiter(errorsPerSecond, errorBurst);
        this.rxMalformed = metrics.counter("icmp.rx.malformed");
        this.rxEchoRequests = metrics.counter("icmp.rx.echo_requests");
        this.rxBroadcastEcho = metrics.counter("icmp.rx.broadcast_echo_ignored");
        this.rxErrors = metrics.counter("icmp.rx.errors");
        this.rxIgnored = metrics.counter("icmp.rx.ignored");
        this.txEchoReplies = metrics.counter("icmp.tx.echo_replies");
        this.txErrors = metrics.counter("icmp.tx.errors");
        this.txErrorsLimited = metrics.counter("icmp.tx.errors_rate_limited");
        this.txErrorsSuppressed = metrics.counter("icmp.tx.errors_suppressed");
        this.noBuffer = metrics.counter("icmp.no_buffer");
        ip.register(IpProtocol.ICMP, this);
        ip.errors(this);
    }

    @Override
    public void receive(PooledBuffer packet, Ipv4Header header, long now) {
        try {
            if (view.check(packet) != Verdict.OK) {
                rxMalformed.increment();
                return;
            }
            switch (view.type()) {
                case Icmpv4Message.ECHO_REQUEST -> echo(header, now);
                case Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.TIME_EXCEEDED,
                        PARAMETER_PROBLEM, SOURCE_QUENCH -> error(now);
                default -> rxIgnored.increment();
            }
        } finally {
            packet.release();
        }
    }

    /** RFC 792 type 12. */
    private static final int PARAMETER_PROBLEM = 12;
    /** RFC 792 type 4 (deprecated by RFC 6633, still an error message). */
    private static final int SOURCE_QUENCH = 4;

    private void echo(Ipv4Header header, long now) {
        rxEchoRequests.increment();
        // RFC 1122 §3.2.2.6: "An ICMP Echo Request destined to an IP broadcast or IP multicast
        // address MAY be silently discarded." (No smurf amplifier here.)
        if (header.destination() != ip.config().address().bits()) {
            rxBroadcastEcho.increment();
            return;
        }
        PooledBuffer reply = pool.tryAcquire();
        if (reply == null || reply.tailroom() < view.length()) {
            if (reply != null) {
                reply.release();
            }
            noBuffer.increment();
            return;
        }
        // RFC 792: "The data received in the echo message must be returned in the echo reply
        // message"; identifier and sequence number too. RFC 1122 §3.2.2.6: the reply's source
        // is the request's specific destination — ours, which is what ip.send uses.
        MemorySegment.copy(view.segment(), view.offset(), reply.memory(), reply.end(), view.length());
        reply.window(reply.start(), reply.end() + view.length());
        reply.consume(Icmpv4Message.HEADER_LENGTH);
        new Icmpv4Repr.EchoReply(view.echoIdentifier(), view.echoSequence()).prependTo(reply);
        txEchoReplies.increment();
        ip.send(IpProtocol.ICMP, header.source(), header.tos(), false, reply, now);
    }

    private void error(long now) {
        rxErrors.increment();
        MemorySegment s = view.segment();
        long q = view.payloadOffset();
        int qlen = view.payloadLength();
        // The quote: an IPv4 header (truncated datagram, so no total-length or checksum check) and
        // at least 8 octets of its data (RFC 792).
        if (qlen < Ipv4Header.MIN_LENGTH || BigEndian.u8(s, q) >>> 4 != 4) {
            rxMalformed.increment();
            return;
        }
        int hl = (BigEndian.u8(s, q) & 0xf) * 4;
        if (hl < Ipv4Header.MIN_LENGTH || hl + 8 > qlen) {
            rxMalformed.increment();
            return;
        }
        int source = BigEndian.i32(s, q + Ipv4Header.SOURCE);
        int destination = BigEndian.i32(s, q + Ipv4Header.DESTINATION);
        int protocol = BigEndian.u8(s, q + Ipv4Header.PROTOCOL);
        if (source != ip.config().address().bits()) {
            rxIgnored.increment(); // not about anything we sent
            return;
        }
        int info = view.rest();
        if (view.type() == Icmpv4Message.DESTINATION_UNREACHABLE && view.code() == Icmpv4Message.FRAGMENTATION_NEEDED) {
            int originalLength = BigEndian.u16(s, q + Ipv4Header.TOTAL_LENGTH);
            info = ip.pathMtu().learn(destination, view.nextHopMtu(), originalLength, now);
        }
        ProtocolHandler h = ip.handler(protocol);
        if (h == null || h == this) {
            return;
        }
        boolean ports = protocol == IpProtocol.TCP || protocol == IpProtocol.UDP;
        h.icmpError(new IcmpError(view.type(), view.code(), info, source, destination, protocol,
                ports ? BigEndian.u16(s, q + hl) : -1, ports ? BigEndian.u16(s, q + hl + 2) : -1,
                protocol == IpProtocol.TCP ? BigEndian.i32(s, q + hl + 4) : 0), now);
    }

    /**
     * Sends an error about an offending datagram, unless RFC 1122 §3.2.2 forbids one or the rate
     * limit is reached: "An ICMP error message MUST NOT be sent as the result of receiving: * an
     * ICMP error message, or * a datagram destined to an IP broadcast or IP multicast address, or
     * * a datagram sent as a link-layer broadcast, or * a non-initial fragment, or * a datagram
     * whose source address does not define a single host".
     */
    @Override
    public void sendError(int type, int code, int info, MemorySegment s, long at, int length, long now) {
        if (length < Ipv4Header.MIN_LENGTH) {
            txErrorsSuppressed.increment();
            return;
        }
        int hl = (BigEndian.u8(s, at) & 0xf) * 4;
        int source = BigEndian.i32(s, at + Ipv4Header.SOURCE);
        int destination = BigEndian.i32(s, at + Ipv4Header.DESTINATION);
        int fragment = BigEndian.u16(s, at + Ipv4Header.FLAGS_FRAGMENT) & Ipv4Header.OFFSET_MASK;
        boolean aboutIcmpError = BigEndian.u8(s, at + Ipv4Header.PROTOCOL) == IpProtocol.ICMP
                && (hl >= length || isError(BigEndian.u8(s, at + hl)));
        if (aboutIcmpError || fragment != 0 || ip.receivingLinkBroadcast() || ip.config().isBroadcast(destination)
                || Ipv4Address.isMulticast(destination) || !singleHost(source)) {
            txErrorsSuppressed.increment();
            return;
        }
        if (!errorLimiter.tryAcquire(now)) {
            txErrorsLimited.increment();
            return;
        }
        int quote = Math.min(length, MAX_ERROR_DATAGRAM - Ipv4Header.MIN_LENGTH - Icmpv4Message.HEADER_LENGTH);
        PooledBuffer b = pool.tryAcquire();
        if (b == null || b.tailroom() < quote) {
            if (b != null) {
                b.release();
            }
            noBuffer.increment();
            return;
        }
        MemorySegment.copy(s, at, b.memory(), b.end(), quote);
        b.window(b.start(), b.end() + quote);
        b.pushHeader(HeaderLayer.TRANSPORT, Icmpv4Message.HEADER_LENGTH);
        Icmpv4Repr.emit(b.memory(), b.start(), type, code, info, quote);
        txErrors.increment();
        ip.send(IpProtocol.ICMP, source, 0, false, b, now);
    }

    private static boolean isError(int icmpType) {
        return icmpType == Icmpv4Message.DESTINATION_UNREACHABLE || icmpType == Icmpv4Message.TIME_EXCEEDED
                || icmpType == PARAMETER_PROBLEM || icmpType == SOURCE_QUENCH || icmpType == 5; // 5: redirect
    }

    private boolean singleHost(int source) {
        int first = source >>> 24;
        // RFC 1122 §3.2.1.3: not 0.x.x.x, not loopback 127/8, not class E 240/4, not broadcast.
        return first != 0 && first != 127 && first < 224 && !ip.config().isBroadcast(source);
    }
}
