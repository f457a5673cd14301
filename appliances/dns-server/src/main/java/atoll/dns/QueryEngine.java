package atoll.dns;

import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Edns;
import atoll.dns.wire.EdnsOption;
import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.PreparedRecords;
import atoll.dns.wire.QueryView;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.zone.LookupOutcome;
import atoll.dns.zone.LookupResult;
import atoll.dns.zone.ZoneSet;
import atoll.libos.metrics.Metrics;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The authoritative server as a sans-I/O engine: query octets in, response octets out. No sockets,
 * threads or clocks; the UDP and TCP services feed it and send what it writes. Thread-safe (the
 * zone data is immutable and replaced whole); each caller brings its own {@link MessageWriter},
 * which is not.
 */
public final class QueryEngine {
    /** RFC 1035 §4.2.1: UDP messages are restricted to 512 octets without EDNS. */
    static final int CLASSIC_UDP_LIMIT = 512;
    /** RFC 1035 §4.2.2: a TCP message is prefixed by a two-octet length, so at most 65535. */
    static final int TCP_LIMIT = 65535;

    /** Swapped whole by {@link #replaceZones} (reload); each query reads it once. */
    private volatile ZoneSet zones;
    private final int ednsUdpSize;
    private final EdnsSettings ednsSettings;
    private final boolean hasNsid;
    private final Metrics.Counter formErr;
    private final Metrics.Counter dropped;
    private final Metrics.Counter truncated;
    private final Metrics.Counter tooLarge;
    private final Metrics.Counter[] byRcode = new Metrics.Counter[24];
    private final Metrics metrics;

    /**
     * @param zones the zones served
     * @param ednsUdpSize the largest UDP response this server sends to EDNS clients, and what it
     *     advertises in its OPT record (RFC 6891 §6.2.5)
     */
    public QueryEngine(ZoneSet zones, int ednsUdpSize, Metrics metrics) {
        this(zones, EdnsSettings.of(ednsUdpSize), metrics);
    }

    /**
     * @param zones the zones served
     * @param edns what the OPT record of a response carries: the UDP size advertised, the NSID,
     *     the TCP idle timeout signalled
     */
    public QueryEngine(ZoneSet zones, EdnsSettings edns, Metrics metrics) {
        this.zones = zones;
        this.ednsSettings = edns;
        this.ednsUdpSize = edns.udpPayloadSize();
        this.hasNsid = edns.nsidOption() != null;
        this.metrics = metrics;
        this.formErr = metrics.counter("dns.formerr");
        this.dropped = metrics.counter("dns.dropped");
        this.truncated = metrics.counter("dns.truncated");
        this.tooLarge = metrics.counter("dns.servfail.too-large");
    }

    /**
     * Answers one query.
     *
     * @param query the query message's octets (any content: this is untrusted input)
     * @param transport what carried it (size limits and truncation)
     * @param out where the response is written: at most {@code out.byteSize()} octets from offset 0
     * @param writer the caller's writer (one per thread: it keeps its compression tables and its
     *     query view)
     * @return the response's length in {@code out}, or -1 when no response must be sent (the input
     *     was too short to carry a message ID, or it was itself a response)
     */
    public int respond(MemorySegment query, Transport transport, MemorySegment out, MessageWriter writer) {
        // The common query — one question, at most an OPT, nothing unusual — is answered from
        // the zones' prepared outcomes without allocating; everything else, and whatever the
        // prepared path declines, takes the general path below, which gives the same octets.
        QueryView view = writer.queryView();
        if (view.wrap(query)) {
            int n = respondPrepared(view, transport, out, writer);
            if (n >= 0) {
                return n;
            }
        }
        return respondGeneral(query, transport, out, writer);
    }

    /** The general path: the query decoded into a {@link Message}, the response built as one. */
    int respondGeneral(MemorySegment query, Transport transport, MemorySegment out, MessageWriter writer) {
        boolean overUdp = transport == Transport.UDP;
        Header h = Header.peek(query);
        if (h == null || h.qr()) {
            // No ID to answer to, or a response: answering responses invites loops.
            dropped.increment();
            return -1;
        }
        Message q;
        try {
            q = MessageReader.parse(query);
        } catch (DnsFormatException e) {
            // RFC 1035 §4.1.1: Format error - the name server was unable to interpret the query.
            formErr.increment();
            return write(bare(h, Rcode.FORMERR), out, overUdp ? CLASSIC_UDP_LIMIT : TCP_LIMIT, writer);
        }
        Edns edns = q.edns();
        int limit = overUdp ? udpLimit(edns) : TCP_LIMIT;
        // RFC 3225 §3: "The DO bit of the query MUST be copied in the response."
        Edns replyEdns = edns == null ? null
                : new Edns(ednsUdpSize, 0, 0, edns.dnssecOk(), replyOptions(edns, transport));

        if (edns != null && edns.version() > 0) {
            // RFC 6891 §6.1.3: a responder that does not implement the version MUST respond with
            // RCODE=BADVERS.
            return write(response(q, Rcode.BADVERS, false, List.of(), List.of(), List.of(), replyEdns),
                    out, limit, writer);
        }
        if (h.opcode() != Opcode.QUERY) {
            // RFC 1035 §4.1.1: Not Implemented - the name server does not support the requested
            // kind of query.
            return write(response(q, Rcode.NOTIMP, false, List.of(), List.of(), List.of(), replyEdns),
                    out, limit, writer);
        }
        if (q.questions().size() != 1) {
            // RFC 9619 §4: a QUERY with QDCOUNT other than 1 is answered with FORMERR.
            formErr.increment();
            return write(response(q, Rcode.FORMERR, false, List.of(), List.of(), List.of(), replyEdns),
                    out, limit, writer);
        }
        Question question = q.questions().getFirst();
        int qtype = question.type();
        if (qtype == RRType.OPT) {
            // RFC 6891 §6.1.1: OPT is a pseudo-RR and cannot be queried for.
            formErr.increment();
            return write(response(q, Rcode.FORMERR, false, List.of(), List.of(), List.of(), replyEdns),
                    out, limit, writer);
        }
        if (qtype == RRType.AXFR || qtype == RRType.IXFR) {
            // Zone transfers are not offered by this server (see CONFORMANCE.md).
            return write(response(q, Rcode.REFUSED, false, List.of(), List.of(), List.of(), replyEdns),
                    out, limit, writer);
        }
        LookupResult r = zones.answer(question.name(), qtype, question.qclass());
        return write(response(q, r.rcode(), r.authoritative(), r.answer(), r.authority(), r.additional(),
                replyEdns), out, limit, writer);
    }

    /**
     * The options of the response's OPT record, each only when the query carried it: NSID
     * (RFC 5001) and edns-tcp-keepalive over TCP (RFC 7828).
     */
    private List<EdnsOption> replyOptions(Edns query, Transport transport) {
        if (query.options().isEmpty()) {
            return List.of();
        }
        boolean nsid = false;
        boolean keepalive = false;
        for (EdnsOption o : query.options()) {
            // RFC 5001 §2.1: "The name server MUST ignore any NSID payload data that might be
            // present in the query message."
            nsid |= o.code() == EdnsOption.NSID;
            keepalive |= o.code() == EdnsOption.TCP_KEEPALIVE;
        }
        List<EdnsOption> reply = new ArrayList<>(2);
        if (nsid && hasNsid) {
            // RFC 5001 §2.2: the server that honours the request includes its identifier in an NSID
            // option of the response's OPT; with none configured it sends none.
            reply.add(ednsSettings.nsidOption());
        }
        // RFC 7828 §3.3.1: over UDP the option in a query is ignored; §3.3.2: "DNS servers MUST NOT
        // include the edns-tcp-keepalive option in responses sent using UDP transport." Over TCP
        // the response carries the connection's idle timeout (§3.3.2: "Servers MUST specify the
        // TIMEOUT value that is currently associated with the TCP session"). A TIMEOUT a client
        // sent against §3.2.1 is ignored, as BIND and Unbound ignore it.
        if (keepalive && transport == Transport.TCP) {
            reply.add(ednsSettings.keepaliveOption());
        }
        return reply;
    }

    /**
     * The allocation-free path over the prepared outcomes ({@link ZoneSet#lookup}); -1 when it
     * declines (the general path then answers, the same way it always has).
     */
    int respondPrepared(QueryView q, Transport transport, MemorySegment out, MessageWriter writer) {
        if (q.qr() || q.opcode() != Opcode.QUERY || (q.hasOpt() && q.optVersion() != 0)) {
            return -1; // dropped, NOTIMP or BADVERS: the general path's business
        }
        int qtype = q.qtype();
        if (qtype == RRType.OPT || qtype == RRType.AXFR || qtype == RRType.IXFR) {
            return -1;
        }
        if (q.hasOpt() && ((hasNsid && q.hasOption(EdnsOption.NSID))
                || (transport == Transport.TCP && q.hasOption(EdnsOption.TCP_KEEPALIVE)))) {
            return -1; // an option to answer: the general path writes OPT options
        }
        LookupOutcome outcome = zones.lookup(q);
        if (outcome == null) {
            return -1;
        }
        int limit;
        if (transport == Transport.TCP) {
            limit = TCP_LIMIT;
        } else if (q.hasOpt()) {
            // RFC 6891 §6.2.5: values lower than 512 MUST be treated as equal to 512.
            limit = Math.min(Math.max(CLASSIC_UDP_LIMIT, q.optUdpPayloadSize()), ednsUdpSize);
        } else {
            limit = CLASSIC_UDP_LIMIT;
        }
        int rcode = outcome.rcode();
        // RFC 1035 §4.1.1: RD is copied into the response; RA is 0 as no recursion is offered.
        // CD is copied as the general path does. Every prepared RCODE fits the header's 4 bits.
        int flags = Header.responseFlags(Opcode.QUERY, outcome.authoritative(), q.rd(), q.cd(), rcode);
        int opt = q.hasOpt() ? ednsUdpSize : -1;
        PreparedRecords none = PreparedRecords.EMPTY;
        int n = switch (outcome) {
            case LookupOutcome.Answer a -> writer.writeAnswer(q, out, limit, flags, a.answer(), a.authority(),
                    a.additional(), opt);
            case LookupOutcome.Referral r -> writer.writeAnswer(q, out, limit, flags, none, r.ns(), r.glue(), opt);
            case LookupOutcome.NoData d -> writer.writeAnswer(q, out, limit, flags, none, d.authority(), none, opt);
            case LookupOutcome.NoSuchName x -> writer.writeAnswer(q, out, limit, flags, none, x.authority(), none, opt);
            case LookupOutcome.Refused r -> writer.writeAnswer(q, out, limit, flags, none, none, none, opt);
        };
        if (n >= 0) {
            count(rcode);
        }
        return n;
    }

    /**
     * Serves {@code next} from the next query on; a query being answered finishes on the zones it
     * started with (they are immutable).
     */
    public void replaceZones(ZoneSet next) {
        zones = java.util.Objects.requireNonNull(next, "zones");
    }

    private int udpLimit(Edns edns) {
        if (edns == null) {
            return CLASSIC_UDP_LIMIT;
        }
        // RFC 6891 §6.2.5: values lower than 512 MUST be treated as equal to 512.
        int offered = Math.max(CLASSIC_UDP_LIMIT, edns.udpPayloadSize());
        return Math.min(offered, ednsUdpSize);
    }

    private int write(Message response, MemorySegment out, int limit, MessageWriter writer) {
        var result = writer.write(response, out, (int) Math.min(limit, out.byteSize()));
        if (result.truncated() && limit == TCP_LIMIT) {
            // The answer does not fit in the largest message there is (an RRset too large for any
            // message, warned about at zone load). TC=1 would tell a TCP client to retry over the
            // TCP it is already using; answer SERVFAIL instead, as Knot does
            // (nameserver/internet.c: ESPACE is TRUNC over UDP only, an error otherwise).
            tooLarge.increment();
            Header h = response.header();
            Message failure = new Message(
                    new Header(h.id(), true, h.opcode(), false, false, h.rd(), false, false, false, Rcode.SERVFAIL),
                    response.questions(), List.of(), List.of(), List.of(), response.edns());
            result = writer.write(failure, out, (int) Math.min(limit, out.byteSize()));
            count(Rcode.SERVFAIL);
            return result.length();
        }
        if (result.truncated()) {
            truncated.increment();
        }
        count(response.rcode());
        return result.length();
    }

    private void count(int rcode) {
        int i = Math.min(rcode, byRcode.length - 1);
        Metrics.Counter c = byRcode[i];
        if (c == null) {
            c = byRcode[i] = metrics.counter("dns.rcode." + Rcode.name(rcode).toLowerCase(java.util.Locale.ROOT));
        }
        c.increment();
    }

    /** A reply to a query that could not be parsed: same ID and OPCODE, no sections. */
    private static Message bare(Header h, int rcode) {
        Header rh = new Header(h.id(), true, h.opcode(), false, false, h.rd(), false, false, false, rcode);
        return new Message(rh, List.of(), List.of(), List.of(), List.of(), null);
    }

    private static Message response(Message q, int rcode, boolean aa, List<atoll.dns.wire.ResourceRecord> answer,
            List<atoll.dns.wire.ResourceRecord> authority, List<atoll.dns.wire.ResourceRecord> additional,
            Edns edns) {
        Header h = q.header();
        // RFC 6891 §6.1.3: the upper 8 bits of a 12-bit RCODE travel in the OPT record.
        Edns e = edns;
        int headerRcode = rcode & 0xf;
        if (rcode > 0xf && e != null) {
            e = new Edns(e.udpPayloadSize(), rcode >>> 4, e.version(), e.dnssecOk(), e.options());
        }
        // RFC 1035 §4.1.1: RD is copied into the response; RA is 0 as no recursion is offered.
        Header rh = new Header(h.id(), true, h.opcode(), aa, false, h.rd(), false, false, h.cd(), headerRcode);
        return new Message(rh, q.questions(), answer, authority, additional, e);
    }
}
