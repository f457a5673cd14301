package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRClass;
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

    /** @throws IllegalArgumentException if two zones have the same origin */
    public ZoneSet(Collection<Zone> zones) {
        Map<Name, Zone> m = new HashMap<>();
        for (Zone z : zones) {
            if (m.put(z.origin(), z) != null) {
                throw new IllegalArgumentException("two zones for " + z.origin());
            }
        }
        this.byOrigin = Map.copyOf(m);
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
        return z == null ? LookupResult.refused() : Lookup.lookup(z, qname, qtype);
    }
}
