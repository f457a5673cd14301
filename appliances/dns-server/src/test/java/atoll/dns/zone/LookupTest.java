package atoll.dns.zone;

import static atoll.dns.zone.ZoneTestSupport.inline;
import static atoll.dns.zone.ZoneTestSupport.load;
import static atoll.dns.zone.ZoneTestSupport.n;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LookupTest {
    static Zone zone;

    @BeforeAll
    static void load() throws ZoneFileException {
        zone = ZoneTestSupport.load("example.com.zone", "example.com.");
    }

    static LookupResult q(String name, int type) {
        return Lookup.lookup(zone, n(name), type);
    }

    /** A section as "owner TYPE rdata-summary" lines, to compare whole sections at once. */
    static List<String> show(List<ResourceRecord> section) {
        return section.stream().map(LookupTest::show).toList();
    }

    static String show(ResourceRecord rr) {
        String data = switch (rr.rdata()) {
            case Rdata.A a -> a.address().getHostAddress();
            case Rdata.AAAA a -> a.address().getHostAddress();
            case Rdata.CNAME c -> c.target().toString();
            case Rdata.NS ns -> ns.nsdname().toString();
            case Rdata.MX mx -> mx.preference() + " " + mx.exchange();
            case Rdata.SOA soa -> "SOA";
            case Rdata.SRV srv -> srv.port() + " " + srv.target();
            case Rdata.TXT txt -> String.join(" ", txt.strings());
            default -> rr.rdata().toString();
        };
        return rr.name() + " " + rr.ttl() + " " + RRType.name(rr.type()) + " " + data;
    }

    static final String NEG_SOA = "example.com. 300 SOA SOA";

    @Test
    void positiveAnswer() {
        LookupResult r = q("ns1.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of("ns1.example.com. 3600 A 192.0.2.1"), show(r.answer()));
        assertEquals(List.of(), r.authority());
        assertEquals(List.of(), r.additional());
    }

    @Test
    void caseInsensitiveMatchKeepsTheZoneCase() {
        LookupResult r = q("wWw.ExAmPlE.cOm.", RRType.A);
        assertEquals(List.of("WWW.example.com. 3600 A 192.0.2.80"), show(r.answer()));
        assertEquals("WWW.example.com.", r.answer().getFirst().name().toString());
    }

    @Test
    void nodataHasTheSoaWithTheMinimumTtl() {
        LookupResult r = q("www.example.com.", RRType.AAAA);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of(), r.answer());
        // RFC 2308 §3: min(SOA TTL 3600, MINIMUM 300).
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void negativeTtlIsTheSoaTtlWhenThatIsLower() throws ZoneFileException {
        Zone z = inline("@ 60 SOA ns hm 1 2 3 4 3600\n NS ns\n");
        LookupResult r = Lookup.lookup(z, n("nope.example.com."), RRType.A);
        assertEquals(Rcode.NXDOMAIN, r.rcode());
        assertEquals(60, r.authority().getFirst().ttl());
    }

    @Test
    void nxdomain() {
        LookupResult r = q("nothing.example.com.", RRType.A);
        assertEquals(Rcode.NXDOMAIN, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of(), r.answer());
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void cnameChainInsideTheZone() {
        LookupResult r = q("chain1.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of(
                "chain1.example.com. 3600 CNAME chain2.example.com.",
                "chain2.example.com. 3600 CNAME alias.example.com.",
                "alias.example.com. 3600 CNAME www.example.com.",
                "WWW.example.com. 3600 A 192.0.2.80"), show(r.answer()));
    }

    @Test
    void cnameQueriedAsCnameIsNotFollowed() {
        LookupResult r = q("alias.example.com.", RRType.CNAME);
        assertEquals(List.of("alias.example.com. 3600 CNAME www.example.com."), show(r.answer()));
    }

    @Test
    void cnameLeavingTheZoneStops() {
        LookupResult r = q("out.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of("out.example.com. 3600 CNAME www.elsewhere.net."), show(r.answer()));
        assertEquals(List.of(), r.authority());
    }

    @Test
    void cnameToAMissingNameGivesNxdomainWithTheChain() {
        // RFC 6604 §2.1: the RCODE is that of the last name in the chain.
        LookupResult r = q("dangling.example.com.", RRType.A);
        assertEquals(Rcode.NXDOMAIN, r.rcode());
        assertEquals(List.of("dangling.example.com. 3600 CNAME nothing.example.com."), show(r.answer()));
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void cnameToNodataGivesNoerrorWithTheSoa() {
        LookupResult r = q("alias.example.com.", RRType.MX);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(List.of("alias.example.com. 3600 CNAME www.example.com."), show(r.answer()));
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void cnameLoopStops() {
        LookupResult r = q("loop1.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(List.of(
                "loop1.example.com. 3600 CNAME loop2.example.com.",
                "loop2.example.com. 3600 CNAME loop1.example.com."), show(r.answer()));
    }

    @Test
    void longCnameChainIsCut() throws ZoneFileException {
        StringBuilder sb = new StringBuilder(ZoneFileParserTest.HEAD);
        for (int i = 0; i < 20; i++) {
            sb.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
        }
        sb.append("c20 A 192.0.2.1\n");
        LookupResult r = Lookup.lookup(inline(sb.toString()), n("c0.example.com."), RRType.A);
        assertEquals(Lookup.MAX_CNAME_CHAIN, r.answer().size());
        assertTrue(r.answer().stream().allMatch(rr -> rr.type() == RRType.CNAME));
    }

    @Test
    void referralWithGlueAndNoAa() {
        LookupResult r = q("www.sub.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertFalse(r.authoritative());
        assertEquals(List.of(), r.answer());
        assertEquals(List.of(
                "sub.example.com. 3600 NS ns1.sub.example.com.",
                "sub.example.com. 3600 NS ns.elsewhere.net."), show(r.authority()));
        assertEquals(List.of(
                "ns1.sub.example.com. 3600 A 192.0.2.53",
                "ns1.sub.example.com. 3600 AAAA 2001:db8:0:0:0:0:0:53"), show(r.additional()));
    }

    @Test
    void referralAtTheCutItselfAndForOccludedData() {
        assertEquals(List.of("sub.example.com. 3600 NS ns1.sub.example.com.",
                "sub.example.com. 3600 NS ns.elsewhere.net."), show(q("sub.example.com.", RRType.NS).authority()));
        LookupResult r = q("deep.sub.example.com.", RRType.A);
        assertFalse(r.authoritative());
        assertEquals(List.of(), r.answer(), "data below a cut is not authoritative");
        assertEquals(2, r.authority().size());
    }

    @Test
    void referralGlueFromElsewhereInTheZone() {
        LookupResult r = q("x.child.example.com.", RRType.A);
        assertFalse(r.authoritative());
        assertEquals(List.of("child.example.com. 3600 NS ns1.example.com."), show(r.authority()));
        assertEquals(List.of("ns1.example.com. 3600 A 192.0.2.1",
                "ns1.example.com. 3600 AAAA 2001:db8:0:0:0:0:0:1"), show(r.additional()));
    }

    @Test
    void dsAtTheCutIsAnsweredByTheParent() {
        LookupResult r = q("sub.example.com.", Lookup.DS);
        assertTrue(r.authoritative());
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void cnameIntoADelegationEndsInAReferral() {
        LookupResult r = q("to-sub.example.com.", RRType.A);
        assertEquals(List.of("to-sub.example.com. 3600 CNAME www.sub.example.com."), show(r.answer()));
        assertEquals(2, r.authority().size());
        assertEquals(RRType.NS, r.authority().getFirst().type());
    }

    @Test
    void wildcardSynthesisTakesTheQname() {
        LookupResult r = q("Anything.wild.example.com.", RRType.TXT);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of("Anything.wild.example.com. 3600 TXT wildcard"), show(r.answer()));
        LookupResult deeper = q("a.b.wild.example.com.", RRType.TXT);
        assertEquals(List.of("a.b.wild.example.com. 3600 TXT wildcard"), show(deeper.answer()));
    }

    @Test
    void wildcardNodata() {
        LookupResult r = q("x.wild.example.com.", RRType.AAAA);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(List.of(), r.answer());
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void wildcardMxGetsAdditionalAddresses() {
        LookupResult r = q("x.wild.example.com.", RRType.MX);
        assertEquals(List.of("x.wild.example.com. 3600 MX 10 mail.example.com."), show(r.answer()));
        assertEquals(List.of("mail.example.com. 3600 A 192.0.2.10",
                "mail.example.com. 3600 AAAA 2001:db8:0:0:0:0:0:10"), show(r.additional()));
    }

    @Test
    void wildcardCnameIsSynthesizedAndFollowed() {
        LookupResult r = q("foo.wc.example.com.", RRType.A);
        assertEquals(List.of("foo.wc.example.com. 3600 CNAME www.example.com.",
                "WWW.example.com. 3600 A 192.0.2.80"), show(r.answer()));
    }

    @Test
    void wildcardDoesNotApplyToAnExistingName() {
        // b.c.example.com is an empty non-terminal (a.b.c has data): it exists, so *.c does not
        // match it (RFC 4592 §2.2.2) -- NODATA, not the wildcard's A.
        LookupResult ent = q("b.c.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, ent.rcode());
        assertEquals(List.of(), ent.answer());
        assertEquals(List.of(NEG_SOA), show(ent.authority()));
        // Below the empty non-terminal the closest encloser is b.c, which has no "*" child.
        assertEquals(Rcode.NXDOMAIN, q("z.b.c.example.com.", RRType.A).rcode());
        // A sibling that does not exist is covered by *.c.
        assertEquals(List.of("x.c.example.com. 3600 A 192.0.2.31"), show(q("x.c.example.com.", RRType.A).answer()));
        // The wildcard owner itself is an ordinary name.
        assertEquals(List.of("*.c.example.com. 3600 A 192.0.2.31"), show(q("*.c.example.com.", RRType.A).answer()));
        // And an existing name with data is never covered.
        assertEquals(List.of("a.b.c.example.com. 3600 A 192.0.2.30"), show(q("a.b.c.example.com.", RRType.A).answer()));
    }

    @Test
    void emptyNonTerminalWithoutWildcardIsNodata() {
        LookupResult r = q("_tcp.example.com.", RRType.A);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertEquals(List.of(NEG_SOA), show(r.authority()));
    }

    @Test
    void additionalForMxAndNsWithoutDuplicates() {
        LookupResult mx = q("example.com.", RRType.MX);
        assertEquals(List.of("example.com. 3600 MX 10 mail.example.com.",
                "example.com. 3600 MX 20 mail.elsewhere.net."), show(mx.answer()));
        assertEquals(List.of("mail.example.com. 3600 A 192.0.2.10",
                "mail.example.com. 3600 AAAA 2001:db8:0:0:0:0:0:10"), show(mx.additional()));

        LookupResult ns = q("example.com.", RRType.NS);
        assertTrue(ns.authoritative());
        assertEquals(3, ns.answer().size());
        assertEquals(List.of("ns1.example.com. 3600 A 192.0.2.1",
                "ns1.example.com. 3600 AAAA 2001:db8:0:0:0:0:0:1",
                "ns2.example.com. 3600 A 192.0.2.2"), show(ns.additional()));
    }

    @Test
    void additionalForSrv() {
        LookupResult r = q("_sip._tcp.example.com.", RRType.SRV);
        assertEquals(List.of("sip.example.com. 3600 A 192.0.2.50"), show(r.additional()));
    }

    @Test
    void additionalHasNoDuplicates() throws ZoneFileException {
        Zone z = inline(ZoneFileParserTest.HEAD + "ns A 192.0.2.1\nm MX 10 ns\nm MX 20 NS.example.com.\n");
        LookupResult r = Lookup.lookup(z, n("m.example.com."), RRType.MX);
        assertEquals(2, r.answer().size());
        assertEquals(List.of("ns.example.com. 300 A 192.0.2.1"), show(r.additional()));
    }

    @Test
    void anyReturnsTheRrsetWithTheLowestType() {
        // RFC 8482 §4.1, as Knot: one RRset, the lowest TYPE (A before AAAA; at the apex A is
        // absent, so NS before SOA and MX) with its additional data.
        assertEquals(List.of("mail.example.com. 3600 A 192.0.2.10"), show(q("mail.example.com.", RRType.ANY).answer()));
        LookupResult apex = q("example.com.", RRType.ANY);
        assertEquals(List.of("example.com. 3600 NS ns1.example.com.", "example.com. 3600 NS ns2.example.com.",
                "example.com. 3600 NS ns.elsewhere.net."), show(apex.answer()));
        assertEquals(List.of("ns1.example.com. 3600 A 192.0.2.1", "ns1.example.com. 3600 AAAA 2001:db8:0:0:0:0:0:1",
                "ns2.example.com. 3600 A 192.0.2.2"), show(apex.additional()));
        // ANY at an alias returns the CNAME without following it.
        assertEquals(List.of("alias.example.com. 3600 CNAME www.example.com."),
                show(q("alias.example.com.", RRType.ANY).answer()));
    }

    @Test
    void outsideTheZoneIsRefused() {
        LookupResult r = q("www.example.org.", RRType.A);
        assertEquals(Rcode.REFUSED, r.rcode());
        assertFalse(r.authoritative());
    }

    @Test
    void everyNameAndTypeGivesAConsistentResponse() {
        // Invariants over all names of the zone, a made-up child of each, and common QTYPEs.
        int[] types = {RRType.A, RRType.AAAA, RRType.NS, RRType.CNAME, RRType.SOA, RRType.MX, RRType.TXT,
                RRType.SRV, RRType.PTR, RRType.ANY, Lookup.DS, 65280};
        for (atoll.dns.wire.Name name : zone.names()) {
            for (atoll.dns.wire.Name q : List.of(name, name.child("zz".getBytes()))) {
                for (int t : types) {
                    LookupResult r = Lookup.lookup(zone, q, t);
                    String what = q + " " + RRType.name(t) + " -> " + r;
                    assertTrue(r.rcode() == Rcode.NOERROR || r.rcode() == Rcode.NXDOMAIN, what);
                    boolean referral = !r.authority().isEmpty() && r.authority().getFirst().type() == RRType.NS;
                    boolean negative = !r.authority().isEmpty() && r.authority().getFirst().type() == RRType.SOA;
                    if (!r.authoritative()) {
                        assertTrue(referral && r.answer().isEmpty(), "only a bare referral has AA=0: " + what);
                    }
                    if (r.rcode() == Rcode.NXDOMAIN) {
                        assertTrue(negative, what);
                    }
                    boolean answered = r.answer().stream().anyMatch(rr -> rr.type() == t || t == RRType.ANY);
                    assertTrue(answered || negative || referral || !r.answer().isEmpty(), what);
                    assertEquals(r.additional().size(), new java.util.HashSet<>(r.additional()).size(), what);
                }
            }
        }
    }

    @Test
    void typesAreCollectedPerNodeInTheExampleZone() {
        // Guards the fixture the other tests rely on.
        assertEquals("A AAAA", zone.node(n("mail.example.com.")).keySet().stream()
                .map(RRType::name).collect(Collectors.joining(" ")));
    }
}
