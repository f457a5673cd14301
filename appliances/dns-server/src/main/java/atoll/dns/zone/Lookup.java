package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authoritative part of the RFC 1034 §4.3.2 algorithm (step 3) over one {@link Zone}, as pure
 * code: no I/O, no clock, no state.
 *
 * <p>Choices:
 *
 * <ul>
 *   <li>QTYPE ANY returns every RRset at the node. RFC 8482 §4.1 allows a subset; an authoritative
 *       server over in-memory data pays nothing for the full answer, and ANY over UDP amplification
 *       is a rate-limiting matter for the server layer.
 *   <li>A CNAME is followed inside the zone for at most {@link #MAX_CNAME_CHAIN} hops and never to a
 *       name already visited; the chain stops, NOERROR, when it leaves the zone (the resolver
 *       follows it from there).
 *   <li>Glue for a referral: A and AAAA of every NS target inside this zone (below the cut or
 *       elsewhere in the zone); targets outside the zone get none.
 * </ul>
 */
public final class Lookup {
    private Lookup() {}

    /**
     * Longest CNAME chain followed inside one zone. RFC 1034 §3.6.2 only says chains should be
     * followed with loop protection; BIND and Knot stop near this length too.
     */
    public static final int MAX_CNAME_CHAIN = 8;

    /** RFC 4034 §5: the DS RRset lives in the parent zone, at the delegation point. */
    static final int DS = 43;

    /**
     * Answers {@code qname}/{@code qtype} from {@code zone}. The caller has chosen the zone
     * ({@link ZoneSet#find}); a {@code qname} outside it gives REFUSED.
     */
    public static LookupResult lookup(Zone zone, Name qname, int qtype) {
        if (!qname.isSubdomainOf(zone.origin())) {
            return LookupResult.refused();
        }
        List<ResourceRecord> answer = new ArrayList<>();
        Set<Name> visited = new HashSet<>();
        Name current = qname;
        for (int hop = 0; ; hop++) {
            visited.add(current);
            // RFC 1034 §4.3.2 step 3b: "If a match would take us out of the authoritative data, we
            // have a referral." The DS RRset at a cut is the parent's own data (RFC 4035 §3.1.4.1).
            Name cut = zone.zoneCut(current);
            if (cut != null && !(qtype == DS && cut.equals(current))) {
                return referral(zone, cut, answer);
            }
            Map<Integer, List<ResourceRecord>> node = zone.node(current);
            Name owner = current;
            if (node.isEmpty()) {
                if (zone.contains(current)) {
                    // RFC 4592 §2.2.2: an empty non-terminal exists; a wildcard does not apply.
                    return nodata(zone, answer);
                }
                // RFC 1034 §4.3.2 step 3c / RFC 4592 §3.3.1: look for "*" below the closest encloser.
                Name encloser = current.parent();
                while (!zone.contains(encloser)) {
                    encloser = encloser.parent();
                }
                Name wildcard = encloser.child(new byte[] {'*'});
                node = zone.node(wildcard);
                if (node.isEmpty()) {
                    // RFC 6604 §2.1: after a CNAME the RCODE is that of the last name looked up.
                    return negative(zone, Rcode.NXDOMAIN, answer);
                }
                // RFC 4592 §3.3.1: synthesized records take the QNAME as owner; owner = current keeps
                // the case the question was asked in.
            }
            List<ResourceRecord> cname = node.get(RRType.CNAME);
            if (cname != null && qtype != RRType.CNAME && qtype != RRType.ANY) {
                // RFC 1034 §4.3.2 step 3a: "If the data at the node is a CNAME, and QTYPE doesn't
                // match CNAME, copy the CNAME RR into the answer section of the response, change
                // QNAME to the canonical name in the CNAME RR, and go back to step 1."
                ResourceRecord rr = synthesize(cname.getFirst(), owner);
                answer.add(rr);
                Name target = ((Rdata.CNAME) rr.rdata()).target();
                if (!target.isSubdomainOf(zone.origin()) || visited.contains(target)
                        || hop + 1 >= MAX_CNAME_CHAIN) {
                    return new LookupResult(Rcode.NOERROR, true, answer, List.of(), List.of());
                }
                current = target;
                continue;
            }
            int before = answer.size();
            if (qtype == RRType.ANY) {
                for (List<ResourceRecord> set : node.values()) {
                    for (ResourceRecord rr : set) {
                        answer.add(synthesize(rr, owner));
                    }
                }
            } else {
                for (ResourceRecord rr : node.getOrDefault(qtype, List.of())) {
                    answer.add(synthesize(rr, owner));
                }
            }
            if (answer.size() == before) {
                return nodata(zone, answer);
            }
            return new LookupResult(Rcode.NOERROR, true, answer, List.of(),
                    additional(zone, answer.subList(before, answer.size()), answer));
        }
    }

    private static ResourceRecord synthesize(ResourceRecord rr, Name owner) {
        return rr.name().equals(owner) ? rr : new ResourceRecord(owner, rr.rrClass(), rr.ttl(), rr.rdata());
    }

    /** RFC 2308 §2.2: NODATA is NOERROR with an empty answer (for QTYPE) and the SOA. */
    private static LookupResult nodata(Zone zone, List<ResourceRecord> answer) {
        return negative(zone, Rcode.NOERROR, answer);
    }

    private static LookupResult negative(Zone zone, int rcode, List<ResourceRecord> answer) {
        return new LookupResult(rcode, true, answer, List.of(negativeSoa(zone)), List.of());
    }

    /**
     * RFC 2308 §3: "the TTL of this record is set from the minimum of the MINIMUM field of the SOA
     * record and the TTL of the SOA itself".
     */
    static ResourceRecord negativeSoa(Zone zone) {
        ResourceRecord soa = zone.soa();
        long ttl = Math.min(soa.ttl(), ((Rdata.SOA) soa.rdata()).minimum());
        return ttl == soa.ttl() ? soa : new ResourceRecord(soa.name(), soa.rrClass(), ttl, soa.rdata());
    }

    /**
     * RFC 1034 §4.3.2 step 3b: "copy the NS RRs for the subzone into the authority section of the
     * reply. Put whatever addresses are available into the additional section". AA stays clear
     * unless a CNAME from this zone's authoritative data is already in the answer.
     */
    private static LookupResult referral(Zone zone, Name cut, List<ResourceRecord> answer) {
        List<ResourceRecord> ns = zone.rrset(cut, RRType.NS);
        return new LookupResult(Rcode.NOERROR, !answer.isEmpty(), answer, ns, additional(zone, ns, answer));
    }

    /**
     * Additional section processing (RFC 1035 §3.3.9 MX, §3.3.11 NS, RFC 2782 SRV): the A and AAAA
     * RRsets of the names the records point at, when those names are in this zone; no record twice
     * and none already in the answer.
     */
    private static List<ResourceRecord> additional(Zone zone, List<ResourceRecord> from,
            List<ResourceRecord> answer) {
        Set<ResourceRecord> out = new LinkedHashSet<>();
        for (ResourceRecord rr : from) {
            Name target = switch (rr.rdata()) {
                case Rdata.MX mx -> mx.exchange();
                case Rdata.NS ns -> ns.nsdname();
                case Rdata.SRV srv -> srv.target();
                default -> null;
            };
            if (target == null || !target.isSubdomainOf(zone.origin())) {
                continue;
            }
            for (int type : new int[] {RRType.A, RRType.AAAA}) {
                for (ResourceRecord a : zone.rrset(target, type)) {
                    if (!answer.contains(a)) {
                        out.add(a);
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
