package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.ResourceRecord;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Jazzer target for {@link ZoneFileParser}: any text gives a {@link Zone} or a
 * {@link ZoneFileException} whose message is the one line {@code source:line: problem}; a zone that
 * parses holds only records at or below its origin, and {@link Lookup} answers names from it
 * without throwing.
 *
 * <p>The input octets are the master file's octets, given to the parser as they are (RFC 1035
 * §5.1 files are octets, not text), so a seed is simply a master file in any encoding or none.
 * Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/atoll/dns/zone/ZoneFileParserFuzzTestInputs/parse/}; with
 * {@code JAZZER_FUZZ=1} (and {@code -Dtest=ZoneFileParserFuzzTest#parse}) Jazzer fuzzes from them.
 */
class ZoneFileParserFuzzTest {
    private static final String SOURCE = "fuzz.zone";
    private static final Name ORIGIN = Name.parse("example.com.");
    /** ZoneFileException's contract: {@code source:line: what is wrong}, line 1-based. */
    private static final Pattern MESSAGE = Pattern.compile("^fuzz\\.zone:[1-9]\\d*: .+");
    /** Lookups per parsed zone: enough to reach CNAME chains, cuts and wildcards, bounded per input. */
    private static final int MAX_NAMES = 16;
    private static final int[] QTYPES = {RRType.A, RRType.NS, RRType.SOA, RRType.CNAME, RRType.MX,
        RRType.TXT, RRType.AAAA, RRType.SRV, 43 /* DS, RFC 4034 */, RRType.ANY};

    @FuzzTest
    void parse(byte[] data) {
        Zone zone;
        try {
            zone = ZoneFileParser.parse(data, SOURCE, ORIGIN);
        } catch (ZoneFileException e) {
            String m = e.getMessage();
            assertTrue(MESSAGE.matcher(m).matches(), () -> "message not 'source:line: problem': " + m);
            assertOneLine(m);
            assertEquals(SOURCE, e.source());
            assertEquals(m, SOURCE + ":" + e.line() + ": " + e.problem());
            return;
        }
        assertEquals(ORIGIN, zone.origin());
        assertEquals(ORIGIN, zone.soa().name());
        assertFalse(zone.rrset(ORIGIN, RRType.NS).isEmpty(), "a zone has apex NS records");
        for (String w : zone.warnings()) {
            assertTrue(MESSAGE.matcher(w).matches(), () -> "warning not 'source:line: text': " + w);
            assertOneLine(w);
        }
        int count = 0;
        for (Name owner : zone.names()) {
            assertTrue(owner.isSubdomainOf(ORIGIN), () -> owner + " is not at or below " + ORIGIN);
            for (Map.Entry<Integer, List<ResourceRecord>> set : zone.node(owner).entrySet()) {
                for (ResourceRecord rr : set.getValue()) {
                    assertEquals(owner, rr.name());
                    assertEquals((int) set.getKey(), rr.type());
                    assertTrue(rr.ttl() >= 0 && rr.ttl() <= ZoneFileParser.MAX_TTL, () -> "TTL " + rr.ttl());
                    count++;
                }
            }
        }
        assertEquals(zone.recordCount(), count);

        List<Name> names = new ArrayList<>();
        names.add(ORIGIN);
        names.add(ORIGIN.child("no-such-name-for-fuzz".getBytes(StandardCharsets.US_ASCII)));
        for (Name owner : zone.names()) {
            if (names.size() >= MAX_NAMES) {
                break;
            }
            names.add(owner);
            if (owner.labelCount() < 127 && owner.wireLength() + 2 <= Name.MAX_WIRE) {
                names.add(owner.child(new byte[] {'x'})); // below: wildcards, cuts, NXDOMAIN
            }
        }
        for (Name q : names) {
            for (int qtype : QTYPES) {
                LookupResult r = Lookup.lookup(zone, q, qtype);
                assertNotNull(r);
                assertTrue(r.rcode() == Rcode.NOERROR || r.rcode() == Rcode.NXDOMAIN,
                        () -> "rcode " + r.rcode() + " for in-zone " + q);
            }
        }
        assertEquals(Rcode.REFUSED, Lookup.lookup(zone, Name.parse("example.net."), RRType.A).rcode());
    }

    /** No line terminator of any kind (Unicode's mandatory breaks: LF, VT, FF, CR, NEL, LS, PS). */
    static void assertOneLine(String m) {
        assertTrue(m.chars().noneMatch(c -> c == '\n' || c == '\u000b' || c == '\f' || c == '\r'
                || c == '\u0085' || c == '\u2028' || c == '\u2029'), () -> "not one line: " + m);
    }
}
