package atoll.dns.zone;

import static atoll.dns.zone.LookupTest.show;
import static atoll.dns.zone.ZoneTestSupport.inline;
import static atoll.dns.zone.ZoneTestSupport.n;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNAME redirection (RFC 6672 §3) and the non-minimal answer style, over {@link Lookup}. The
 * expected answers are those NSD 4.6 and Knot 3.2 give for the same zone (checked with dig; the
 * differential suite in {@code conformance/} compares them query by query).
 */
class DnameLookupTest {
    static Zone zone;

    static final String LONG_TARGET = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".example.com.";

    @BeforeAll
    static void load() throws ZoneFileException {
        zone = inline(ZoneFileParserTest.HEAD
                + "ns A 192.0.2.53\n"
                + "www 600 A 192.0.2.80\n"
                + "dn 900 DNAME target\n"
                + "dn A 192.0.2.90\n"
                + "target A 192.0.2.91\n"
                + "host.target A 192.0.2.92\n"
                + "alias.target CNAME www\n"
                + "out DNAME example.net.\n"
                + "chain DNAME dn\n"
                + "*.wild DNAME target\n"
                + "long DNAME " + LONG_TARGET + "\n"
                + "tocname CNAME x.dn\n"
                + "cut NS ns.cut\n"
                + "ns.cut A 192.0.2.100\n"
                + "cut DNAME elsewhere\n"
                + "loop1 DNAME loop2\n"
                + "loop2 DNAME loop1\n");
    }

    static LookupResult q(String name, int type) {
        return Lookup.lookup(zone, n(name), type);
    }

    @Test
    void nameBelowTheDnameIsRedirectedWithTheDnameTtl() {
        LookupResult r = q("host.dn.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        // RFC 6672 §3.1: the synthesized CNAME has the QNAME as owner and the DNAME's TTL.
        assertEquals(List.of("dn.example.com. 900 DNAME " + r.answer().getFirst().rdata(),
                "host.dn.example.com. 900 CNAME host.target.example.com.",
                "host.target.example.com. 300 A 192.0.2.92"), show(r.answer()));
        assertEquals(List.of(), r.authority());
    }

    @Test
    void redirectionToAMissingNameIsNxdomain() {
        LookupResult r = q("x.dn.example.com.", RRType.A);
        assertEquals(Rcode.NXDOMAIN, r.rcode());
        assertEquals(List.of("dn.example.com. 900 DNAME " + r.answer().getFirst().rdata(),
                "x.dn.example.com. 900 CNAME x.target.example.com."), show(r.answer()));
        assertEquals(List.of("example.com. 5 SOA SOA"), show(r.authority())); // RFC 2308 §3: MINIMUM 5
    }

    @Test
    void theDnameOwnerItselfIsNotRedirected() {
        assertEquals(List.of("dn.example.com. 300 A 192.0.2.90"), show(q("dn.example.com.", RRType.A).answer()));
        assertEquals(RRType.DNAME, q("dn.example.com.", RRType.DNAME).answer().getFirst().type());
        LookupResult cname = q("dn.example.com.", RRType.CNAME);
        assertEquals(List.of(), cname.answer()); // NODATA: a DNAME is no CNAME at its own name
        assertEquals(Rcode.NOERROR, cname.rcode());
    }

    @Test
    void theChainGoesOnThroughCnamesAndDnames() {
        assertEquals(List.of("dn.example.com.", "alias.dn.example.com.", "alias.target.example.com.", "www.example.com."),
                q("alias.dn.example.com.", RRType.A).answer().stream().map(rr -> rr.name().toString()).toList());
        // A DNAME whose target is another DNAME's owner: two redirections.
        LookupResult two = q("host.chain.example.com.", RRType.A);
        assertEquals(List.of(RRType.DNAME, RRType.CNAME, RRType.DNAME, RRType.CNAME, RRType.A),
                two.answer().stream().map(rr -> rr.type()).toList());
        // A CNAME into a redirected name.
        assertEquals(List.of(RRType.CNAME, RRType.DNAME, RRType.CNAME),
                q("tocname.example.com.", RRType.A).answer().stream().map(rr -> rr.type()).toList());
        // Every QTYPE is redirected below the owner, DNAME and ANY included.
        assertEquals(3, q("host.dn.example.com.", RRType.ANY).answer().size());
        assertEquals(Rcode.NXDOMAIN, q("x.dn.example.com.", RRType.DNAME).rcode());
        // QTYPE CNAME: the synthesized CNAME is the answer, not followed (NSD and Knot alike).
        LookupResult cname = q("x.dn.example.com.", RRType.CNAME);
        assertEquals(Rcode.NOERROR, cname.rcode());
        assertEquals(List.of(RRType.DNAME, RRType.CNAME), cname.answer().stream().map(rr -> rr.type()).toList());
        assertEquals(2, q("alias.dn.example.com.", RRType.CNAME).answer().size());
    }

    @Test
    void redirectionOutOfTheZoneStops() {
        LookupResult r = q("a.out.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(List.of("out.example.com. 300 DNAME " + r.answer().getFirst().rdata(),
                "a.out.example.com. 300 CNAME a.example.net."), show(r.answer()));
    }

    @Test
    void aSubstitutionTooLongIsYxdomainWithTheDnameAlone() {
        String qname = "d".repeat(63) + "." + "e".repeat(60) + ".long.example.com.";
        LookupResult r = q(qname, RRType.A);
        // RFC 6672 §2.2: YXDOMAIN when the result would overflow a domain name.
        assertEquals(Rcode.YXDOMAIN, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of(RRType.DNAME), r.answer().stream().map(rr -> rr.type()).toList());
        assertEquals(List.of(), r.authority());
        // A shorter prefix fits (41 + 205 octets): redirected, to a missing name.
        assertEquals(Rcode.NXDOMAIN, q("e".repeat(40) + ".long.example.com.", RRType.A).rcode());
    }

    @Test
    void aWildcardDnameIsDataAtTheNamesItMatches() {
        // As NSD and Knot: the wildcard's DNAME is served for QTYPE DNAME at a matching name,
        // NODATA for the rest; nothing is redirected.
        LookupResult a = q("b.wild.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, a.rcode());
        assertEquals(List.of(), a.answer());
        LookupResult d = q("b.wild.example.com.", RRType.DNAME);
        assertEquals("b.wild.example.com.", d.answer().getFirst().name().toString());
        assertEquals(Rcode.NOERROR, q("a.b.wild.example.com.", RRType.A).rcode());
    }

    @Test
    void aCutAboveOrAtTheDnameWins() {
        LookupResult r = q("x.cut.example.com.", RRType.A);
        assertFalse(r.authoritative());
        assertEquals(List.of("cut.example.com. 300 NS ns.cut.example.com."), show(r.authority()));
    }

    @Test
    void aDnameAtTheApexRedirectsTheWholeZoneBelowIt() throws ZoneFileException {
        // As NSD and Knot answer for such a zone: the apex's own data is served, every name below
        // it (including names that own data, which the DNAME occludes) is redirected.
        Zone apex = inline(ZoneFileParserTest.HEAD + "ns A 192.0.2.53\n@ DNAME example.net.\n@ A 192.0.2.1\n");
        assertEquals(List.of("example.com. 300 A 192.0.2.1"), show(Lookup.lookup(apex, n("example.com."), RRType.A).answer()));
        LookupResult r = Lookup.lookup(apex, n("www.example.com."), RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(List.of(RRType.DNAME, RRType.CNAME), r.answer().stream().map(rr -> rr.type()).toList());
        assertEquals("www.example.net.", r.answer().get(1).rdata() instanceof atoll.dns.wire.Rdata.CNAME c
                ? c.target().toString() : "");
        assertEquals(RRType.CNAME, Lookup.lookup(apex, n("ns.example.com."), RRType.A).answer().get(1).type());
    }

    @Test
    void aDnameLoopStops() {
        LookupResult r = q("a.loop1.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(4, r.answer().size()); // loop1 DNAME, CNAME to a.loop2, loop2 DNAME, CNAME back
    }

    @Test
    void nonMinimalAnswersCarryTheApexNsAndTheirAddresses() {
        LookupResult r = Lookup.lookup(zone, n("www.example.com."), RRType.A, AnswerStyle.WITH_AUTHORITY);
        assertEquals(List.of("www.example.com. 600 A 192.0.2.80"), show(r.answer()));
        assertEquals(List.of("example.com. 300 NS ns.example.com."), show(r.authority()));
        assertEquals(List.of("ns.example.com. 300 A 192.0.2.53"), show(r.additional()));
        // The NS RRset asked for at the apex is not repeated in the authority section.
        LookupResult ns = Lookup.lookup(zone, n("example.com."), RRType.NS, AnswerStyle.WITH_AUTHORITY);
        assertEquals(List.of(), ns.authority());
        // Negative answers and referrals are the same in both styles.
        for (String name : List.of("nope.example.com.", "www.example.com.", "x.cut.example.com.")) {
            int type = name.startsWith("www") ? RRType.AAAA : RRType.A;
            assertEquals(Lookup.lookup(zone, n(name), type), Lookup.lookup(zone, n(name), type, AnswerStyle.WITH_AUTHORITY));
        }
        // ANY stays minimal (as NSD without minimal-responses answers it).
        assertEquals(List.of(), Lookup.lookup(zone, n("www.example.com."), RRType.ANY, AnswerStyle.WITH_AUTHORITY).authority());
        // Minimal: nothing in the authority section of a positive answer.
        assertEquals(List.of(), Lookup.lookup(zone, n("www.example.com."), RRType.A).authority());
    }
}
