package atoll.dns.xfr;

import atoll.dns.Transport;
import atoll.dns.tsig.Tsig;
import atoll.dns.tsig.TsigKey;
import atoll.dns.tsig.TsigRecord;
import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Name;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneSet;
import atoll.libos.metrics.Metrics;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The requests the query engine hands over ({@code QueryEngine.DELEGATED}): zone transfers (AXFR,
 * RFC 5936; IXFR, RFC 1995, answered in full), NOTIFY (RFC 1996), and every request signed with
 * TSIG (RFC 8945), whose answer is signed in turn. Sans-I/O: octets, the client's address and the
 * time in, octets out; no sockets, clocks or threads. Thread-safe (immutable configuration, zones
 * read through a supplier).
 */
public final class Transfers {
    /** How a signed request's answer is computed: the query engine, given the unsigned request. */
    @FunctionalInterface
    public interface Answerer {
        /** The response to {@code query} in at most {@code limit} octets, or null for none. */
        byte[] answer(byte[] query, Transport transport, int limit);
    }

    /** Told of each NOTIFY; returns the RCODE to answer with. */
    @FunctionalInterface
    public interface NotifyHandler {
        int onNotify(Name zone, InetAddress from, Name key);
    }

    /** What to send back. */
    public sealed interface Reply {}

    /** Nothing (the request was a response, or too short to answer). */
    public record None() implements Reply {}

    /** One message. */
    public record Single(byte[] message) implements Reply {}

    /**
     * A multi-message answer (over TCP only), produced as it is sent: each message is made (and
     * signed, RFC 8945 §5.3.1) at the time the caller gives, so a long transfer stays within the
     * client's fudge.
     */
    public record Stream(Messages messages) implements Reply {}

    /** The messages of a {@link Stream}; {@link #close()} once sent (or abandoned) frees its slot. */
    public interface Messages extends AutoCloseable {
        boolean hasNext();

        @Override
        void close();

        /** @param now seconds since 1970-01-01 UTC, from the caller's clock */
        byte[] next(long now);
    }

    private final Map<Name, TsigKey> keys;
    private final List<AclRule> acl;
    private final Supplier<ZoneSet> zones;
    private final Answerer answerer;
    private final NotifyHandler notifies;
    private final int budget;
    /**
     * Transfers out at once; past it a request is REFUSED ("for policy reasons", RFC 1035 §4.1.1)
     * and asked again later by the secondary (RFC 1034 §4.3.5 RETRY). 10 is BIND's
     * {@code transfers-out} default.
     */
    public static final int MAX_TRANSFERS_OUT = 10;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Metrics.Counter busy;
    private final Metrics.Counter transfers;
    private final Metrics.Counter refused;
    private final Metrics.Counter tsigErrors;

    public Transfers(Map<Name, TsigKey> keys, List<AclRule> acl, Supplier<ZoneSet> zones, Answerer answerer,
            NotifyHandler notifies, Metrics metrics) {
        this(keys, acl, zones, answerer, notifies, metrics, AxfrWriter.DEFAULT_BUDGET);
    }

    Transfers(Map<Name, TsigKey> keys, List<AclRule> acl, Supplier<ZoneSet> zones, Answerer answerer,
            NotifyHandler notifies, Metrics metrics, int budget) {
        this.keys = Map.copyOf(keys);
        this.acl = List.copyOf(acl);
        this.zones = zones;
        this.answerer = answerer;
        this.notifies = notifies;
        this.budget = budget;
        this.transfers = metrics.counter("dns.xfr.out");
        this.refused = metrics.counter("dns.xfr.refused");
        this.tsigErrors = metrics.counter("dns.tsig.errors");
        this.busy = metrics.counter("dns.xfr.refused.busy");
    }

    /**
     * Answers one delegated request.
     *
     * @param now seconds since 1970-01-01 UTC (TSIG times, RFC 8945 §5.2.3)
     */
    public Reply respond(byte[] request, Transport transport, InetAddress client, long now) {
        Header h = Header.peek(java.lang.foreign.MemorySegment.ofArray(request));
        if (h == null || h.qr()) {
            return new None();
        }
        int limit = transport == Transport.UDP ? MessageWriter.UDP_LIMIT : MessageWriter.MAX_LIMIT;
        Tsig.Verification v = Tsig.verify(request, keys, now);
        Message q;
        try {
            q = MessageReader.parse(request);
        } catch (DnsFormatException e) {
            return new Single(bare(h, Rcode.FORMERR));
        }
        Signer signer;
        switch (v) {
            case Tsig.Malformed _ -> {
                tsigErrors.increment();
                // RFC 8945 §5.2: a misplaced TSIG record (or a MAC of a bad length) is FORMERR.
                return new Single(write(reply(q, Rcode.FORMERR, false, List.of()), limit));
            }
            case Tsig.Rejected r -> {
                tsigErrors.increment();
                byte[] plain = write(reply(q, Tsig.NOTAUTH, false, List.of()), limit);
                // RFC 8945 §5.3.2: "the server SHOULD send back an unsigned error message" for
                // BADKEY and BADSIG; "It MUST NOT send back an unsigned error message if the MAC in
                // the incoming message was valid" - BADTIME is signed (§5.2.3).
                if (r.error() == Tsig.BADTIME) {
                    return new Single(Tsig.badTime(plain, r.key(), r.tsig(), now));
                }
                return new Single(Tsig.unsignedError(plain, r.tsig(), r.error()));
            }
            case Tsig.Valid valid -> signer = new Signer(valid.key(), valid.tsig(), now);
            case Tsig.Unsigned _ -> signer = null;
        }
        Name key = signer == null ? null : signer.key.name();
        if (q.questions().size() != 1) {
            return signed(signer, write(reply(q, Rcode.FORMERR, false, List.of()), limit));
        }
        Question question = q.questions().getFirst();
        if (h.opcode() == Opcode.NOTIFY) {
            // RFC 1996 §3.7: the answer to a NOTIFY echoes its question, QR set.
            int rcode = question.type() == RRType.SOA ? notifies.onNotify(question.name(), client, key) : Rcode.FORMERR;
            return signed(signer, write(reply(q, rcode, rcode == Rcode.NOERROR, List.of()), limit));
        }
        if (h.opcode() == Opcode.QUERY && (question.type() == RRType.AXFR || question.type() == RRType.IXFR)) {
            return transfer(q, question, transport, client, signer, limit);
        }
        // Any other signed request: the engine answers the request as it was before signing, in
        // room left for the TSIG record, and the answer is signed (RFC 8945 §5.3).
        byte[] unsigned = signer == null ? request : ((Tsig.Valid) v).unsigned();
        int room = signer == null ? limit : limit - Tsig.recordLength(signer.key);
        if (transport == Transport.UDP && q.edns() != null) {
            room = Math.max(room, Math.min(q.edns().payloadLimit(), 4096) - (signer == null ? 0 : Tsig.recordLength(signer.key)));
        }
        byte[] answer = answerer.answer(unsigned, transport, room);
        return answer == null ? new None() : signed(signer, answer);
    }

    private Reply transfer(Message q, Question question, Transport transport, InetAddress client, Signer signer,
            int limit) {
        ZoneSet set = zones.get();
        Zone zone = set.find(question.name());
        if (question.qclass() != RRClass.IN || zone == null || !zone.origin().equals(question.name())) {
            refused.increment();
            // RFC 5936 §2.2.1 leaves the RCODE to the server; a zone not served here is NOTAUTH, as
            // Knot and BIND answer (RFC 2845 §1 / RFC 8945 use NOTAUTH for "not authoritative").
            boolean unavailable = zone == null && set.unavailable(question.name());
            return signed(signer, write(reply(q, unavailable ? Rcode.SERVFAIL : Rcode.NOTAUTH, false, List.of()), limit));
        }
        if (!AclRule.allowed(acl, zone.origin(), client, signer == null ? null : signer.key.name())) {
            refused.increment();
            // RFC 5936 §2.2.1: a server "MAY ... refuse" a transfer by policy; REFUSED names that.
            return signed(signer, write(reply(q, Rcode.REFUSED, false, List.of()), limit));
        }
        if (question.type() == RRType.IXFR) {
            // RFC 1995 §2: a reply that does not fit UDP, or a client already up to date, is the
            // single current SOA; over TCP an IXFR is answered in full (RFC 1995 §4: "the server
            // may ... send a full zone transfer" when it has no journal, which this server never has).
            long clientSerial = q.authorities().stream().filter(rr -> rr.rdata() instanceof Rdata.SOA)
                    .mapToLong(rr -> ((Rdata.SOA) rr.rdata()).serial()).findFirst().orElse(-1);
            long ours = ((Rdata.SOA) zone.soa().rdata()).serial();
            if (transport == Transport.UDP || (clientSerial >= 0 && !Serial.lessThan(clientSerial, ours))) {
                return signed(signer, write(reply(q, Rcode.NOERROR, true, List.of(zone.soa())), limit));
            }
        } else if (transport == Transport.UDP) {
            // RFC 5936 §4.2: "AXFR sessions over UDP transport are not defined." It names no RCODE;
            // NOTIMP says what is true (not implemented over this transport), after the ACL so that
            // a client not allowed learns nothing more than REFUSED.
            return signed(signer, write(reply(q, Rcode.NOTIMP, false, List.of()), limit));
        }
        if (inFlight.incrementAndGet() > MAX_TRANSFERS_OUT) {
            inFlight.decrementAndGet();
            busy.increment();
            return signed(signer, write(reply(q, Rcode.REFUSED, false, List.of()), limit));
        }
        transfers.increment();
        AxfrWriter axfr = new AxfrWriter(zone, q.header().id(), question, budget);
        // RFC 8945 §5.3.1: each message of the stream is signed, chained on the prior MAC.
        Tsig.StreamSigner stream = signer == null ? null
                : new Tsig.StreamSigner(signer.key, signer.request.mac(), signer.request.fudge());
        return new Stream(new Messages() {
            @Override
            public boolean hasNext() {
                return axfr.hasNext();
            }

            @Override
            public byte[] next(long now) {
                byte[] m = axfr.next();
                return stream == null ? m : stream.sign(m, now);
            }

            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    inFlight.decrementAndGet();
                }
            }
        });
    }

    /** The key a request was signed with, its TSIG record and the time, for signing the answer. */
    private record Signer(TsigKey key, TsigRecord request, long now) {}

    private static Reply signed(Signer signer, byte[] message) {
        if (signer == null) {
            return new Single(message);
        }
        // RFC 8945 §5.3: the response to a signed request is signed with the same key, digesting
        // the request's MAC first (§4.3.1).
        return new Single(Tsig.sign(message, signer.key, signer.request.mac(), signer.now,
                signer.request.fudge(), 0, new byte[0]).message());
    }

    private static Message reply(Message q, int rcode, boolean aa, List<ResourceRecord> answer) {
        Header h = q.header();
        Header rh = new Header(h.id(), true, h.opcode(), aa, false, h.rd(), false, false, h.cd(), rcode & 0xf);
        return new Message(rh, q.questions(), answer, List.of(), List.of(), null);
    }

    private static byte[] bare(Header h, int rcode) {
        Header rh = new Header(h.id(), true, h.opcode(), false, false, h.rd(), false, false, false, rcode);
        return MessageWriter.toBytes(new Message(rh, List.of(), List.of(), List.of(), List.of(), null));
    }

    private static byte[] write(Message m, int limit) {
        byte[] buffer = new byte[limit];
        MessageWriter.WriteResult r = new MessageWriter().write(m, java.lang.foreign.MemorySegment.ofArray(buffer), limit);
        return java.util.Arrays.copyOf(buffer, r.length());
    }
}
