package atoll.dns.zone;

import static atoll.dns.zone.ZoneTestSupport.inline;
import static atoll.dns.zone.ZoneTestSupport.load;
import static atoll.dns.zone.ZoneTestSupport.n;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ZoneFileParserTest {

    /** Lines 1 to 3 of every error case: a valid apex, so the case's own line is line 4. */
    static final String HEAD = "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n";

    static ResourceRecord one(Zone z, String name, int type) {
        List<ResourceRecord> set = z.rrset(n(name), type);
        assertEquals(1, set.size(), () -> name + " " + RRType.name(type) + ": " + set);
        return set.getFirst();
    }

    static String a(Zone z, String name) {
        return ((Rdata.A) one(z, name, RRType.A).rdata()).address().getHostAddress();
    }

    @Nested
    class FeaturesFile {
        static Zone z;

        @BeforeAll
        static void parse() throws ZoneFileException {
            z = load("features.zone", "example.com.");
        }

        @Test
        void soaAcrossLinesWithCommentsInside() {
            ResourceRecord soa = z.soa();
            assertEquals(n("example.com."), soa.name());
            assertEquals(300, soa.ttl());
            assertEquals(new Rdata.SOA(n("ns1.example.com."), n("hostmaster.example.com."), 1, 3600, 600,
                    86400, 60), soa.rdata());
        }

        @Test
        void ttlAndClassInEitherOrderAndOptional() {
            assertEquals(300, one(z, "plain.example.com.", RRType.A).ttl());
            assertEquals(600, one(z, "ttlfirst.example.com.", RRType.A).ttl());
            assertEquals(700, one(z, "classfirst.example.com.", RRType.A).ttl());
            assertEquals(300, one(z, "classonly.example.com.", RRType.A).ttl());
            assertEquals(800, one(z, "ttlonly.example.com.", RRType.A).ttl());
            assertEquals("192.0.2.4", a(z, "classfirst.example.com."));
            assertEquals(RRClass.IN, one(z, "plain.example.com.", RRType.A).rrClass());
        }

        @Test
        void ttlUnits() {
            assertEquals(5400, one(z, "units1.example.com.", RRType.A).ttl());
            assertEquals(2 * 86400, one(z, "units2.example.com.", RRType.A).ttl());
            assertEquals(604800, one(z, "units3.example.com.", RRType.A).ttl());
        }

        @Test
        void blankOwnerIsPreviousOwner() {
            assertEquals("192.0.2.10", a(z, "blank.example.com."));
            assertEquals(3, z.node(n("blank.example.com.")).size());
            assertEquals(new Rdata.TXT(List.of("blank owner")), one(z, "blank.example.com.", RRType.TXT).rdata());
            // The apex NS line starts with a blank: its owner is the SOA's.
            assertEquals(1, z.rrset(n("example.com."), RRType.NS).size());
        }

        @Test
        void quotedStringsWithSemicolonEscapesAndParentheses() {
            assertEquals(new Rdata.TXT(List.of("a;b", "say \"hi\"", "back\\slash", "ABC", "bare")),
                    one(z, "txt.example.com.", RRType.TXT).rdata());
        }

        @Test
        void dollarTtlChangesTheDefaultFromThereOn() {
            assertEquals(900, one(z, "after.example.com.", RRType.A).ttl());
            assertEquals(300, one(z, "plain.example.com.", RRType.A).ttl());
        }

        @Test
        void absoluteAtAndOriginNames() {
            assertEquals("192.0.2.12", a(z, "abs.example.com."));
            assertEquals("192.0.2.13", a(z, "www.sub.example.com."));
            assertEquals(new Rdata.TXT(List.of("at the new origin")),
                    one(z, "sub.example.com.", RRType.TXT).rdata());
            assertEquals("192.0.2.14", a(z, "x.deeper.sub.example.com."));
        }

        @Test
        void rfc3597GenericRdata() {
            Rdata unknown = one(z, "generic.deeper.sub.example.com.", 65280).rdata();
            assertEquals(new Rdata.Unknown(65280, HexFormat.of().parseHex("abcdef")), unknown);
            // A known type in generic form becomes its typed RDATA.
            assertEquals("192.0.2.2", a(z, "typed.deeper.sub.example.com."));
            assertEquals("192.0.2.3", a(z, "split.deeper.sub.example.com."));
            assertArrayEquals(new byte[0],
                    ((Rdata.Unknown) one(z, "empty.deeper.sub.example.com.", 65281).rdata()).data());
        }

        @Test
        void otherTypes() throws Exception {
            String o = ".deeper.sub.example.com.";
            assertEquals(new Rdata.MX(10, n("mail.example.com.")), one(z, "mx" + o, RRType.MX).rdata());
            assertEquals(new Rdata.SRV(1, 2, 53, n("ns1.example.com.")), one(z, "srv" + o, RRType.SRV).rdata());
            assertEquals(new Rdata.PTR(n("www.example.com.")), one(z, "ptr" + o, RRType.PTR).rdata());
            assertEquals(new Rdata.CNAME(n("www.example.com.")), one(z, "cname" + o, RRType.CNAME).rdata());
            assertEquals(InetAddress.getByName("2001:db8::1"),
                    ((Rdata.AAAA) one(z, "v6full" + o, RRType.AAAA).rdata()).address());
            Inet6Address mapped = ((Rdata.AAAA) one(z, "v6mapped" + o, RRType.AAAA).rdata()).address();
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1},
                    mapped.getAddress());
        }

        @Test
        void counts() {
            assertEquals(30, z.recordCount()); // one record per line of data in features.zone
            assertTrue(z.warnings().isEmpty(), z.warnings()::toString);
        }
    }

    @Test
    void exampleZoneLoads() throws ZoneFileException {
        Zone z = load("example.com.zone", "example.com.");
        assertEquals(n("example.com."), z.origin());
        assertEquals(3600, z.soa().ttl());
        assertEquals(3, z.rrset(n("example.com."), RRType.NS).size());
        // Owner case is kept as written, lookups ignore it.
        assertEquals("WWW.example.com.", one(z, "www.EXAMPLE.com.", RRType.A).name().toString());
        assertEquals(java.util.Set.of(n("sub.example.com."), n("child.example.com.")), z.delegations());
        assertEquals(n("sub.example.com."), z.zoneCut(n("a.deep.sub.example.com.")));
        assertNull(z.zoneCut(n("www.example.com.")));
        assertTrue(z.contains(n("b.c.example.com.")), "empty non-terminal exists");
        assertTrue(z.contains(n("c.example.com.")), "empty non-terminal exists");
        assertTrue(!z.names().contains(n("c.example.com.")), "but owns no records");
        assertTrue(!z.contains(n("x.b.c.example.com.")));
    }

    @Test
    void relativeNamesWithoutTrailingDotGetTheOrigin() throws ZoneFileException {
        Zone z = inline(HEAD + "www CNAME host.sub\nmail MX 5 @\n");
        assertEquals(new Rdata.CNAME(n("host.sub.example.com.")), one(z, "www.example.com.", RRType.CNAME).rdata());
        assertEquals(new Rdata.MX(5, n("example.com.")), one(z, "mail.example.com.", RRType.MX).rdata());
        assertEquals(new Rdata.SOA(n("ns.example.com."), n("hm.example.com."), 1, 2, 3, 4, 5), z.soa().rdata());
    }

    @Test
    void relativeDollarOriginIsRelativeToTheCurrentOrigin() throws ZoneFileException {
        // RFC 1035 §5.1 (and BIND); dnsjava would read "$ORIGIN sub" as "sub." instead.
        Zone z = inline(HEAD + "$ORIGIN sub\nwww A 192.0.2.1\n$ORIGIN deeper\n@ A 192.0.2.2\n");
        assertEquals("192.0.2.1", a(z, "www.sub.example.com."));
        assertEquals("192.0.2.2", a(z, "deeper.sub.example.com."));
    }

    @Test
    void withoutDollarTtlTheLastExplicitTtlIsTheDefault() throws ZoneFileException {
        Zone z = inline("@ 120 SOA ns hm 1 2 3 4 5\n NS ns\nns 60 A 192.0.2.1\nx A 192.0.2.2\n");
        assertEquals(120, one(z, "example.com.", RRType.NS).ttl());
        assertEquals(60, one(z, "x.example.com.", RRType.A).ttl());
    }

    @Test
    void nullOriginTakesTheApexFromTheSoa() throws ZoneFileException {
        Zone z = ZoneFileParser.parse("$ORIGIN example.net.\n$TTL 5\n@ SOA ns hm 1 2 3 4 5\n NS ns\n",
                "t.zone", null);
        assertEquals(n("example.net."), z.origin());
        ZoneFileException e = assertThrows(ZoneFileException.class,
                () -> ZoneFileParser.parse("$TTL 5\nwww A 192.0.2.1\n", "t.zone", null));
        assertEquals("t.zone:2: relative name 'www' but no origin is known", e.getMessage());
    }

    @Test
    void rrsetTtlsAreNormalizedToTheFirstWithAWarning() throws ZoneFileException {
        Zone z = inline(HEAD + "www 60 A 192.0.2.1\nwww 30 A 192.0.2.2\nwww 60 A 192.0.2.1\n");
        List<ResourceRecord> set = z.rrset(n("www.example.com."), RRType.A);
        assertEquals(2, set.size(), "the duplicate is dropped");
        assertTrue(set.stream().allMatch(r -> r.ttl() == 60), set::toString);
        assertEquals(List.of(
                "t.zone:5: TTL 30 differs from the A RRset's TTL 60 at 'www.example.com.'; using 60",
                "t.zone:6: duplicate A record at 'www.example.com.' ignored"), z.warnings());
    }

    @Test
    void ttlParsing() {
        assertEquals(0, ZoneFileParser.parseTtl("0"));
        assertEquals(86400, ZoneFileParser.parseTtl("86400"));
        assertEquals(5400, ZoneFileParser.parseTtl("1h30m"));
        assertEquals(5430, ZoneFileParser.parseTtl("1H30M30"));
        assertEquals(694861, ZoneFileParser.parseTtl("1w1d1h1m1s"));
        assertEquals(-1, ZoneFileParser.parseTtl("1x"));
        assertEquals(-1, ZoneFileParser.parseTtl("h"));
        assertEquals(-1, ZoneFileParser.parseTtl("1hh"));
    }

    // ---- errors: exact one-line message, right line ----

    static void fails(String text, int line, String problem) {
        ZoneFileException e = assertThrows(ZoneFileException.class, () -> inline(text));
        assertEquals("t.zone:" + line + ": " + problem, e.getMessage());
        assertEquals(line, e.line());
        assertEquals("t.zone", e.source());
        assertEquals(problem, e.problem());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void unknownType() {
        fails(HEAD + "www FOO 192.0.2.1\n", 4, "unknown type 'FOO'");
    }

    @Test
    void badIpv4Address() {
        fails(HEAD + "www A 300.1.1.1\n", 4, "bad IPv4 address '300.1.1.1'");
        fails(HEAD + "www A 192.0.2\n", 4, "bad IPv4 address '192.0.2'");
        fails(HEAD + "www A localhost\n", 4, "bad IPv4 address 'localhost'");
        fails(HEAD + "www A 010.0.0.1\n", 4, "bad IPv4 address '010.0.0.1'");
    }

    @Test
    void badIpv6Address() {
        fails(HEAD + "www AAAA 2001:db8::1::2\n", 4, "bad IPv6 address '2001:db8::1::2'");
        fails(HEAD + "www AAAA 1:2:3:4:5:6:7\n", 4, "bad IPv6 address '1:2:3:4:5:6:7'");
        fails(HEAD + "www AAAA 192.0.2.1\n", 4, "bad IPv6 address '192.0.2.1'");
    }

    @Test
    void missingSoa() {
        fails("$TTL 300\n\n@ NS ns\nns A 192.0.2.1\n", 3, "no SOA record at the zone apex 'example.com.'");
    }

    @Test
    void twoSoas() {
        fails(HEAD + "@ SOA ns hm 2 2 3 4 5\n", 4, "second SOA record (the first is on line 2)");
    }

    @Test
    void soaNotAtApex() {
        fails(HEAD + "sub SOA ns hm 1 2 3 4 5\n", 4,
                "SOA record at 'sub.example.com.' is not at the zone apex 'example.com.'");
    }

    @Test
    void noNsAtApex() {
        fails("$TTL 300\n@ SOA ns hm 1 2 3 4 5\nns A 192.0.2.1\n", 2, "no NS records at the zone apex 'example.com.'");
    }

    @Test
    void recordOutOfZone() {
        fails(HEAD + "www.example.org. A 192.0.2.1\n", 4, "'www.example.org.' is out of zone 'example.com.'");
        fails(HEAD + "$ORIGIN example.net.\nwww A 192.0.2.1\n", 5, "'www.example.net.' is out of zone 'example.com.'");
    }

    @Test
    void cnameAndOtherData() {
        fails(HEAD + "www A 192.0.2.1\n\nWWW CNAME there\n", 6,
                "CNAME and other data at 'WWW.example.com.' (A on line 4)");
        fails(HEAD + "www CNAME there\nwww TXT \"x\"\n", 5,
                "CNAME and other data at 'www.example.com.' (CNAME on line 4)");
        fails(HEAD + "@ CNAME there\n", 4, "CNAME and other data at 'example.com.' (SOA on line 2)");
        fails(HEAD + "www CNAME a\nwww CNAME b\n", 5, "more than one CNAME at 'www.example.com.' (the first is on line 4)");
    }

    @Test
    void unterminatedParenthesisIsReportedWhereItOpened() {
        fails(HEAD + "www TXT ( \"a\"\n  \"b\"\n\nx A 192.0.2.1\n", 4, "'(' is never closed");
        fails(HEAD + "www TXT \"a\" )\n", 4, "')' without a matching '('");
    }

    @Test
    void unterminatedQuote() {
        fails(HEAD + "www TXT \"abc\nx A 192.0.2.1\n", 4, "unterminated quoted string");
    }

    @Test
    void include() {
        fails(HEAD + "$INCLUDE other.zone\n", 4, "$INCLUDE other.zone: not supported here (no directory to confine it to)");
        fails(HEAD + "$INSERT 1-2 x A 192.0.2.1\n", 4, "unknown directive '$INSERT'");
    }

    @Test
    void unknownClass() {
        fails(HEAD + "www CH A 192.0.2.1\n", 4, "class CH is not supported (only IN)");
        fails(HEAD + "www 60 CLASS5 A 192.0.2.1\n", 4, "class CLASS5 is not supported (only IN)");
    }

    @Test
    void missingTtl() {
        fails("@ SOA ns hm 1 2 3 4 5\n", 1, "no TTL: the SOA has none and no $TTL comes before it");
        fails("\n$ORIGIN example.com.\nwww A 192.0.2.1\n", 3, "no TTL: none given and no $TTL or earlier TTL before it");
    }

    @Test
    void errorsInsideParenthesesPointAtTheToken() {
        fails("$TTL 300\n@ SOA ns hm (\n  1\n  2\n  3x\n  4 5 )\n", 5, "bad SOA RETRY '3x'");
        fails("$TTL 300\n@ SOA ns hm ( 1 2 3\n  4 )\n", 3, "SOA record is missing its MINIMUM");
    }

    @Test
    void otherSyntaxErrors() {
        fails(HEAD + "www 1x A 192.0.2.1\n", 4, "bad TTL '1x'");
        fails(HEAD + "www 3000000000 A 192.0.2.1\n", 4, "TTL '3000000000' above 2147483647 (RFC 2181 §8)");
        fails(HEAD + "www 60 60 A 192.0.2.1\n", 4, "TTL given twice ('60')");
        fails(HEAD + "www\n", 4, "missing type");
        fails(HEAD + "mx MX 10\n", 4, "MX record is missing its exchange");
        fails(HEAD + "mx MX 70000 mail\n", 4, "MX preference '70000' above 65535");
        fails(HEAD + "www A 192.0.2.1 extra\n", 4, "unexpected 'extra' after the A RDATA");
        fails(HEAD + "x TYPE65280 \\# 4 abcdef\n", 4, "generic RDATA length 4 but 3 octets given");
        fails(HEAD + "x A \\# 3 abcdef\n", 4, "generic RDATA is not a valid A: truncated");
        fails(HEAD + "x TYPE65280 abc\n", 4,
                "type TYPE65280 is only supported in RFC 3597 generic form ('\\# length hex')");
        fails(HEAD + "x AXFR \\# 0\n", 4, "type AXFR cannot appear in a zone");
        fails(" A 192.0.2.1\n", 1, "line starts with a blank but there is no previous owner name");
        fails(HEAD + "x TXT ( \"a\"\n ( \"b\" ) )\n", 5, "nested '(' (the one on line 4 is still open)");
        fails(HEAD + "x TXT \"\"\n\"\" A 192.0.2.1\n", 5, "quoted string '' where a domain name belongs");
        fails(HEAD + "a..b A 192.0.2.1\n", 4, "bad domain name 'a..b': empty label in 'a..b'");
        fails(HEAD + "x TXT \"\\256\"\n", 4, "\\DDD escape above 255 in '\\256'");
        fails(HEAD + "x TXT \"" + "a".repeat(256) + "\"\n", 4, "character-string of 256 octets (at most 255)");
    }

    @Test
    void exceptionCarriesTheSourceGiven() {
        ZoneFileException e = assertThrows(ZoneFileException.class,
                () -> ZoneFileParser.parse("$TTL 1\n@ SOA ns hm 1 2 3 4 5\n NS ns\nwww A 1.2.3\n",
                        "example.com.zone", Name.parse("example.com.")));
        assertEquals("example.com.zone:4: bad IPv4 address '1.2.3'", e.getMessage());
        assertInstanceOf(Exception.class, e);
    }
}
