package atoll.dns.zone;

import atoll.dns.wire.FlatName;
import atoll.dns.wire.Name;
import atoll.dns.wire.PreparedRecords;
import atoll.dns.wire.QueryView;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.ResourceRecord;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link Zone} prepared for answering without allocating, in the manner of Knot's
 * {@code nameserver/internet.c}: every node (empty non-terminals included) is keyed by its flat
 * lower-case wire name ({@link FlatName}), so a QNAME still in the query is hashed and compared in
 * place; and every outcome the common questions can have — each RRset with its additional data,
 * each referral with its glue, NODATA, NXDOMAIN — is built once here, by {@link Lookup} itself, so
 * the answers are those of the general path by construction.
 *
 * <p>{@link #lookup} returns {@code null} for what is not prepared — a CNAME to follow, a name
 * below a DNAME (RFC 6672 §3.2 synthesis), DS at a cut, a wildcard that is itself a cut or a
 * CNAME — and the caller takes the general path ({@link Lookup}). QTYPE ANY is prepared: its one
 * RRset (RFC 8482 §4.1) is chosen at load. Immutable and safe to share between threads.
 */
public final class ZoneIndex {

    /** A name that exists in the zone (RFC 4592 §2.2.2: empty non-terminals too). */
    private static final class Node {
        /** A zone cut below the apex (RFC 1034 §4.2.1), and the referral it gives. */
        LookupOutcome.Referral referral;
        /** The node {@code *.<this>}, if it exists (RFC 4592 §2.1.1). */
        Node wildcard;
        /** The node owns a CNAME: only QTYPE CNAME (and ANY, which gets the CNAME) is prepared. */
        boolean cname;
        /** The node owns a DNAME: the names below it are redirected (RFC 6672), never prepared. */
        boolean dname;
        /** The answer to QTYPE ANY (RFC 8482 §4.1: one RRset); null when it is not prepared. */
        LookupOutcome.Answer any;
        /** QTYPEs with an RRset here, and their answers; a QTYPE not listed gets NODATA. */
        int[] types = new int[0];
        LookupOutcome.Answer[] answers = new LookupOutcome.Answer[0];
        /** Every RRset here was prepared, so a QTYPE not in {@link #types} is NODATA. */
        boolean complete = true;

        LookupOutcome.Answer answer(int qtype) {
            int[] t = types;
            for (int i = 0; i < t.length; i++) {
                if (t[i] == qtype) {
                    return answers[i];
                }
            }
            return null;
        }
    }

    private final Zone zone;
    private final AnswerStyle style;
    private final int originLabels;
    private final byte[][] keys;
    private final int[] hashes;
    private final Node[] nodes;
    private final int mask;
    private final LookupOutcome.NoData noData;
    private final LookupOutcome.NoSuchName noSuchName;

    public ZoneIndex(Zone zone) {
        this(zone, AnswerStyle.MINIMAL);
    }

    /** The index of {@code zone}, its positive answers shaped by {@code style}. */
    public ZoneIndex(Zone zone, AnswerStyle style) {
        this.zone = zone;
        this.style = style;
        Name origin = zone.origin();
        this.originLabels = origin.labelCount();
        ResourceRecord soa = Lookup.negativeSoa(zone);
        this.noData = new LookupOutcome.NoData(new PreparedRecords(List.of(soa)));
        this.noSuchName = new LookupOutcome.NoSuchName(new PreparedRecords(List.of(soa)));

        // Every existing name: owners and their ancestors up to the apex (RFC 4592 §2.2.2).
        Map<Name, Node> all = new HashMap<>();
        all.put(origin, new Node());
        for (Name owner : zone.names()) {
            for (Name n = owner; !all.containsKey(n); n = n.parent()) {
                all.put(n, new Node());
            }
        }
        for (Map.Entry<Name, Node> e : all.entrySet()) {
            prepare(e.getKey(), e.getValue());
            Name name = e.getKey();
            // Lookup synthesizes only from a wildcard that owns records.
            if (name.isWildcard() && name.labelCount() > originLabels && !zone.node(name).isEmpty()) {
                all.get(name.parent()).wildcard = e.getValue();
            }
        }

        int capacity = Integer.highestOneBit(Math.max(4, all.size() * 2 - 1)) << 1;
        this.keys = new byte[capacity][];
        this.hashes = new int[capacity];
        this.nodes = new Node[capacity];
        this.mask = capacity - 1;
        for (Map.Entry<Name, Node> e : all.entrySet()) {
            byte[] key = FlatName.of(e.getKey());
            int h = FlatName.hash(key);
            int s = spread(h) & mask;
            while (keys[s] != null) {
                s = (s + 1) & mask;
            }
            keys[s] = key;
            hashes[s] = h;
            nodes[s] = e.getValue();
        }
    }

    private void prepare(Name name, Node node) {
        Map<Integer, List<ResourceRecord>> sets = zone.node(name);
        if (zone.delegations().contains(name)) {
            // Lookup of any type but DS at a cut is the referral; DS is left to the general path.
            LookupResult r = Lookup.lookup(zone, name, RRType.A, style);
            node.referral = new LookupOutcome.Referral(new PreparedRecords(r.authority()), new PreparedRecords(r.additional()));
            return;
        }
        node.cname = sets.containsKey(RRType.CNAME);
        node.dname = sets.containsKey(RRType.DNAME);
        List<Integer> types = new ArrayList<>();
        List<LookupOutcome.Answer> answers = new ArrayList<>();
        for (int type : sets.keySet()) {
            if (node.cname && type != RRType.CNAME) {
                continue;
            }
            LookupOutcome.Answer a = plainAnswer(Lookup.lookup(zone, name, type, style));
            if (a == null) {
                node.complete = false; // not a plain answer: leave it to the general path
                continue;
            }
            types.add(type);
            answers.add(a);
        }
        node.types = types.stream().mapToInt(Integer::intValue).toArray();
        node.answers = answers.toArray(new LookupOutcome.Answer[0]);
        if (!sets.isEmpty()) {
            node.any = plainAnswer(Lookup.lookup(zone, name, RRType.ANY, style));
        }
    }

    /**
     * The result as a prepared answer, or null when it is anything else (negative, a referral, a
     * chain, a DNAME redirection): only the RRset at the name and its extras are prepared.
     */
    private static LookupOutcome.Answer plainAnswer(LookupResult r) {
        if (r.rcode() != Rcode.NOERROR || !r.authoritative() || r.answer().isEmpty()) {
            return null;
        }
        Name owner = r.answer().getFirst().name();
        int type = r.answer().getFirst().type();
        for (ResourceRecord rr : r.answer()) {
            if (!rr.name().equals(owner) || rr.type() != type) {
                return null;
            }
        }
        for (ResourceRecord rr : r.authority()) {
            if (rr.type() != RRType.NS) {
                return null; // the SOA of a negative answer after a chain
            }
        }
        return new LookupOutcome.Answer(new PreparedRecords(r.answer()), new PreparedRecords(r.authority()),
                new PreparedRecords(r.additional()));
    }

    /** The zone this index answers for. */
    public Zone zone() {
        return zone;
    }

    /**
     * The outcome for the question in {@code query}, whose QNAME is at or below this zone's apex,
     * the apex being the suffix of QNAME that starts at label {@code originLabel}; {@code null}
     * when the general path must answer (see the class comment). Allocates nothing.
     */
    public LookupOutcome lookup(QueryView query, int originLabel) {
        int qtype = query.qtype();
        MemorySegment wire = query.wire();
        // RFC 1034 §4.3.2 step 3: descend from the apex label by label. Every ancestor of an
        // existing name exists, so the first missing one ends the descent; the last found is the
        // closest encloser (RFC 4592 §3.3.1). Step 3b: a cut met on the way gives a referral.
        Node encloser = null;
        int depth = originLabel;
        for (int i = originLabel; i >= 0; i--) {
            Node n = get(wire, query.suffixStart(i), query.suffixLength(i));
            if (n == null) {
                break;
            }
            if (n.referral != null) {
                // RFC 4035 §3.1.4.1: the DS RRset at a cut is the parent's own data.
                return qtype == Lookup.DS && i == 0 ? null : n.referral;
            }
            if (n.dname && i > 0) {
                return null; // RFC 6672 §3.2: QNAME is below a DNAME; the general path synthesizes
            }
            encloser = n;
            depth = i;
        }
        if (encloser == null) {
            return null; // not reached for a QNAME under this apex: the apex always exists
        }
        Node node = encloser;
        if (depth != 0) {
            // RFC 1034 §4.3.2 step 3c / RFC 4592 §3.3.1: no such name; look for "*" below the
            // closest encloser.
            node = encloser.wildcard;
            if (node == null) {
                return noSuchName;
            }
            if (node.referral != null) {
                return null;
            }
        }
        if (qtype == RRType.ANY) {
            // RFC 8482 §4.1: the one RRset chosen at load; an empty non-terminal has none (NODATA).
            if (node.any != null) {
                return node.any;
            }
            return node.types.length == 0 && node.complete ? noData : null;
        }
        if (node.cname && qtype != RRType.CNAME) {
            return null; // RFC 1034 §4.3.2 step 3a: a chain to follow
        }
        LookupOutcome.Answer a = node.answer(qtype);
        if (a != null) {
            return a;
        }
        return node.complete ? noData : null;
    }

    private Node get(MemorySegment wire, int offset, int length) {
        int h = FlatName.hash(wire, offset, length);
        for (int s = spread(h) & mask; keys[s] != null; s = (s + 1) & mask) {
            if (hashes[s] == h && FlatName.matches(keys[s], wire, offset, length)) {
                return nodes[s];
            }
        }
        return null;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
