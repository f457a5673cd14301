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
    /** Origins served here whose data is not available (a secondary before its first transfer or after expiry). */
    private final java.util.Set<Name> unavailable;
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
        this(zones, style, List.of());
    }

    /**
     * Zones, and origins this server is authoritative for but cannot answer from yet (a secondary
     * zone before its first transfer, or expired, RFC 1035 §4.3.5): names under those get SERVFAIL
     * (AA clear) rather than REFUSED, from the general path.
     */
    public ZoneSet(Collection<Zone> zones, AnswerStyle style, Collection<Name> unavailable) {
        this.style = java.util.Objects.requireNonNull(style, "style");
        Map<Name, Zone> m = new HashMap<>();
        for (Zone z : zones) {
            if (m.put(z.origin(), z) != null) {
                throw new IllegalArgumentException("two zones for " + z.origin());
            }
        }
        this.byOrigin = Map.copyOf(m);
        this.unavailable = java.util.Set.copyOf(unavailable);
        int capacity = Integer.highestOneBit(Math.max(2, (m.size() + this.unavailable.size()) * 2)) << 1;
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
        for (Name origin : this.unavailable) {
            if (m.containsKey(origin)) {
                throw new IllegalArgumentException("zone " + origin + " both served and unavailable");
            }
            byte[] key = FlatName.of(origin);
            int h = FlatName.hash(key);
            int s = (h ^ h >>> 16) & mask;
            while (originKeys[s] != null) {
                s = (s + 1) & mask;
            }
            originKeys[s] = key; // no index: the prepared path declines, the general path says SERVFAIL
            originHashes[s] = h;
        }
    }

    /** Whether {@code origin} is served here but its data is not available (see the constructor). */
    public boolean unavailable(Name origin) {
        return unavailable.contains(origin);
    }

    public static ZoneSet of(Zone... zones) {
        return new ZoneSet(List.of(zones));
    }

    /** The zone with the longest origin that {@code qname} is at or below; {@code null} if none. */
    public Zone find(Name qname) {
        // Walk from qname up to the root: the first origin met is the longest one.
        for (int n = qname.labelCount(); n >= 0; n--) {
            Name suffix = qname.suffix(n);
            Zone z = byOrigin.get(suffix);
            if (z != null || unavailable.contains(suffix)) {
                return z;
            }
        }
        return null;
    }

    /** Whether the nearest zone for {@code qname} is one whose data is unavailable. */
    private boolean underUnavailable(Name qname) {
        for (int n = qname.labelCount(); n >= 0; n--) {
            Name suffix = qname.suffix(n);
            if (byOrigin.containsKey(suffix)) {
                return false;
            }
            if (unavailable.contains(suffix)) {
                return true;
            }
        }
        return false;
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
                    ZoneIndex index = indexes[s];
                    return index == null ? null : index.lookup(query, i);
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
        if (z == null && !unavailable.isEmpty() && underUnavailable(qname)) {
            // RFC 1035 §4.3.5: a secondary whose zone expired "should stop giving out answers";
            // SERVFAIL, as BIND and Knot answer for a zone they cannot load.
            return new LookupResult(atoll.dns.wire.Rcode.SERVFAIL, false, List.of(), List.of(), List.of());
        }
        return z == null ? LookupResult.refused() : Lookup.lookup(z, qname, qtype, style);
    }
}
