package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.RdataSchema;
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
 *   <li>QTYPE ANY (RFC 8482 §4.1) returns one RRset of the node, the one with the lowest TYPE
 *       value, over every transport, as Knot DNS 3.2 does (NSD 4.6 also gives one RRset but
 *       chooses by its own order). A CNAME node answers ANY with its CNAME; a name under a DNAME is
 *       redirected first.
 *   <li>A CNAME is followed inside the zone for at most {@link #MAX_CNAME_CHAIN} hops and never to a
 *       name already visited; the chain stops, NOERROR, when it leaves the zone (the resolver
 *       follows it from there). A DNAME's synthesized CNAME (RFC 6672 §3.2) counts as one hop.
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

    /** {@link #lookup(Zone, Name, int, AnswerStyle)} with {@link AnswerStyle#MINIMAL}. */
    public static LookupResult lookup(Zone zone, Name qname, int qtype) {
        return lookup(zone, qname, qtype, AnswerStyle.MINIMAL);
    }

    /**
     * Answers {@code qname}/{@code qtype} from {@code zone}. The caller has chosen the zone
     * ({@link ZoneSet#find}); a {@code qname} outside it gives REFUSED.
     */
    public static LookupResult lookup(Zone zone, Name qname, int qtype, AnswerStyle style) {
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
            if (cut != null && qtype == DS && cut.equals(current)) {
                cut = null;
            }
            // RFC 6672 §3.2 (step 3c as it amends it): a DNAME at a proper ancestor met while
            // descending redirects the name; a cut met first (higher up, or at the DNAME's own
            // node, where the DNAME is the child's occluded data) wins.
            Name dname = zone.dnameAbove(current);
            if (cut != null && (dname == null || cut.labelCount() <= dname.labelCount())) {
                return referral(zone, cut, answer);
            }
            if (dname != null) {
                ResourceRecord d = zone.rrset(dname, RRType.DNAME).getFirst();
                answer.add(d);
                Name target = substitute(current, dname, d);
                if (target == null) {
                    // RFC 6672 §2.2: "If the substitution would overflow the legal size for a
                    // <domain-name>, set RCODE to YXDOMAIN" — the DNAME alone is the answer.
                    return new LookupResult(Rcode.YXDOMAIN, true, answer, List.of(), List.of());
                }
                // RFC 6672 §3.1: the synthesized CNAME has the QNAME as owner and the DNAME's TTL.
                answer.add(new ResourceRecord(current, d.rrClass(), d.ttl(), new Rdata.CNAME(target)));
                // The synthesized CNAME answers QTYPE CNAME (step 3a follows a CNAME only when
                // QTYPE does not match it); NSD and Knot stop there too, NOERROR.
                if (qtype == RRType.CNAME || !target.isSubdomainOf(zone.origin()) || visited.contains(target)
                        || hop + 1 >= MAX_CNAME_CHAIN) {
                    return positive(zone, answer, style);
                }
                current = target;
                continue;
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
                // the case the question was asked in. A DNAME owned by the wildcard is data here,
                // as for NSD and Knot: it redirects nothing below the names it matches.
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
                    return positive(zone, answer, style);
                }
                current = target;
                continue;
            }
            int before = answer.size();
            // RFC 8482 §4.1: "A DNS responder can choose to select one or a larger subset of the
            // available RRsets at the QNAME." One: the lowest TYPE value, as Knot.
            int type = qtype == RRType.ANY ? lowestType(node) : qtype;
            for (ResourceRecord rr : node.getOrDefault(type, List.of())) {
                answer.add(synthesize(rr, owner));
            }
            if (answer.size() == before) {
                return nodata(zone, answer);
            }
            List<ResourceRecord> additional = additional(zone, answer.subList(before, answer.size()), answer);
            // An ANY answer stays minimal in either style, as NSD answers it without
            // minimal-responses (RFC 8482 §4.1 asks for a small answer).
            if (style == AnswerStyle.WITH_AUTHORITY && qtype != RRType.ANY) {
                return withAuthority(zone, answer, additional);
            }
            return new LookupResult(Rcode.NOERROR, true, answer, List.of(), additional);
        }
    }

    /** The lowest TYPE present at the node; -1 for none. */
    private static int lowestType(Map<Integer, List<ResourceRecord>> node) {
        int lowest = -1;
        for (int t : node.keySet()) {
            if (lowest < 0 || Integer.compareUnsigned(t, lowest) < 0) {
                lowest = t;
            }
        }
        return lowest;
    }

    /**
     * RFC 6672 §2.2: {@code name} with its suffix {@code owner} replaced by the DNAME's target;
     * {@code null} when the result would be longer than 255 octets (RFC 1035 §2.3.4).
     */
    static Name substitute(Name name, Name owner, ResourceRecord dname) {
        Name target = RdataSchema.dnameTarget(((Rdata.Unknown) dname.rdata()).data());
        int keep = name.labelCount() - owner.labelCount();
        int wire = target.wireLength();
        List<byte[]> labels = new ArrayList<>(keep + target.labelCount());
        for (int i = 0; i < keep; i++) {
            wire += 1 + name.labelLength(i);
            labels.add(name.label(i));
        }
        if (wire > Name.MAX_WIRE) {
            return null;
        }
        for (int i = 0; i < target.labelCount(); i++) {
            labels.add(target.label(i));
        }
        return Name.of(labels);
    }

    /** The answer so far, when the chain stops at a name this zone does not hold. */
    private static LookupResult positive(Zone zone, List<ResourceRecord> answer, AnswerStyle style) {
        if (style == AnswerStyle.WITH_AUTHORITY) {
            return withAuthority(zone, answer, List.of());
        }
        return new LookupResult(Rcode.NOERROR, true, answer, List.of(), List.of());
    }

    /**
     * {@link AnswerStyle#WITH_AUTHORITY}: the apex NS RRset in the authority section and its
     * servers' addresses after the answer's own additional data, none twice and none already in
     * the answer (the NS RRset itself, asked for at the apex, is not repeated).
     */
    private static LookupResult withAuthority(Zone zone, List<ResourceRecord> answer,
            List<ResourceRecord> additional) {
        List<ResourceRecord> ns = zone.rrset(zone.origin(), RRType.NS);
        if (answer.containsAll(ns)) {
            return new LookupResult(Rcode.NOERROR, true, answer, List.of(), additional);
        }
        Set<ResourceRecord> more = new LinkedHashSet<>(additional);
        more.addAll(additional(zone, ns, answer));
        return new LookupResult(Rcode.NOERROR, true, answer, ns, List.copyOf(more));
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
