package atoll.dns.zone;

import atoll.dns.wire.FlatName;
import atoll.dns.wire.Name;
import atoll.dns.wire.QueryView;
import atoll.dns.wire.RRClass;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The zones one server is authoritative for. Immutable; zones may nest (a parent delegating to a
 * child served here too): the longest matching origin wins, as RFC 1034 §4.3.2 step 2 asks ("the
 * zone which is the nearest ancestor to QNAME").
 */
public final class ZoneSet {
    private final Map<Name, Zone> byOrigin;
    private final AnswerStyle style;
    // The zones again, keyed by flat origin (FlatName) for the allocation-free path: open
    // addressing, so a QNAME suffix still in the query is hashed and compared in place.
    private final byte[][] originKeys;
    private final int[] originHashes;
    private final ZoneIndex[] indexes;
    private final int mask;

    /**
     * Minimal answers ({@link AnswerStyle#MINIMAL}).
     *
     * @throws IllegalArgumentException if two zones have the same origin
     */
    public ZoneSet(Collection<Zone> zones) {
        this(zones, AnswerStyle.MINIMAL);
    }

    /** @throws IllegalArgumentException if two zones have the same origin */
    public ZoneSet(Collection<Zone> zones, AnswerStyle style) {
        this.style = java.util.Objects.requireNonNull(style, "style");
        Map<Name, Zone> m = new HashMap<>();
        for (Zone z : zones) {
            if (m.put(z.origin(), z) != null) {
                throw new IllegalArgumentException("two zones for " + z.origin());
            }
        }
        this.byOrigin = Map.copyOf(m);
        int capacity = Integer.highestOneBit(Math.max(2, m.size() * 2)) << 1;
        this.originKeys = new byte[capacity][];
        this.originHashes = new int[capacity];
        this.indexes = new ZoneIndex[capacity];
        this.mask = capacity - 1;
        for (Zone z : m.values()) {
            byte[] key = FlatName.of(z.origin());
            int h = FlatName.hash(key);
            int s = (h ^ h >>> 16) & mask;
            while (originKeys[s] != null) {
                s = (s + 1) & mask;
            }
            originKeys[s] = key;
            originHashes[s] = h;
            indexes[s] = new ZoneIndex(z, style);
        }
    }

    public static ZoneSet of(Zone... zones) {
        return new ZoneSet(List.of(zones));
    }

    /** The zone with the longest origin that {@code qname} is at or below; {@code null} if none. */
    public Zone find(Name qname) {
        // Walk from qname up to the root: the first origin met is the longest one.
        for (int n = qname.labelCount(); n >= 0; n--) {
            Zone z = byOrigin.get(qname.suffix(n));
            if (z != null) {
                return z;
            }
        }
        return null;
    }

    /**
     * The allocation-free counterpart of {@link #answer}: the prepared outcome for the question in
     * {@code query}, or {@code null} when the general path ({@link #answer}) must answer it.
     */
    public LookupOutcome lookup(QueryView query) {
        int qclass = query.qclass();
        if (qclass != RRClass.IN && qclass != RRClass.ANY) {
            return LookupOutcome.Refused.INSTANCE;
        }
        MemorySegment wire = query.wire();
        // RFC 1034 §4.3.2 step 2: the nearest ancestor zone; the longest suffix comes first.
        for (int i = 0; i <= query.labelCount(); i++) {
            int offset = query.suffixStart(i);
            int length = query.suffixLength(i);
            int h = FlatName.hash(wire, offset, length);
            for (int s = (h ^ h >>> 16) & mask; originKeys[s] != null; s = (s + 1) & mask) {
                if (originHashes[s] == h && FlatName.matches(originKeys[s], wire, offset, length)) {
                    return indexes[s].lookup(query, i);
                }
            }
        }
        return LookupOutcome.Refused.INSTANCE;
    }

    /** The zones, in no particular order. */
    public Collection<Zone> zones() {
        return byOrigin.values();
    }

    /**
     * Answers one question. Only class IN is served (QCLASS ANY, RFC 1035 §3.2.5, is taken as IN);
     * any other class, or a name under none of the zones, gets REFUSED with AA=0 and empty sections:
     * RFC 1035 §4.1.1 allows REFUSED "for policy reasons", and NSD and Knot answer so for names
     * outside their zones.
     */
    public LookupResult answer(Name qname, int qtype, int qclass) {
        if (qclass != RRClass.IN && qclass != RRClass.ANY) {
            return LookupResult.refused();
        }
        Zone z = find(qname);
        return z == null ? LookupResult.refused() : Lookup.lookup(z, qname, qtype, style);
    }
}
