package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code $GENERATE}, checked against what BIND's documented examples produce. */
class GenerateTest {
    static final String HEAD = ZoneChecksTest.HEAD;

    static Zone parse(String text) throws ZoneFileException {
        return ZoneFileParser.parse(text, "g.zone", Name.parse("example.com."));
    }

    @Test
    void bindArmExample() throws Exception {
        // The BIND ARM's example: $GENERATE 1-127 $ CNAME $.0
        Zone z = parse(HEAD + "$ORIGIN 0.0.192.example.com.\n$GENERATE 1-127 $ CNAME $.0\n");
        assertEquals(3 + 127, z.recordCount());
        assertEquals(new Rdata.CNAME(Name.parse("5.0.0.0.192.example.com.")),
                z.node(Name.parse("5.0.0.192.example.com.")).get(RRType.CNAME).getFirst().rdata());
    }

    @Test
    void modifiersStepTtlAndEscapedDollar() throws Exception {
        Zone z = parse(HEAD + "$GENERATE 10-20/5 host-${-9,3,d}-${0,2,x} 600 IN A 192.0.2.$\n"
                + "$GENERATE 1-1 x\\$ TXT \"price\\$$\"\n");
        assertEquals(1, z.node(Name.parse("host-001-0a.example.com.")).get(RRType.A).size());
        assertEquals(600, z.node(Name.parse("host-011-14.example.com.")).get(RRType.A).getFirst().ttl());
        assertEquals(new Rdata.A((java.net.Inet4Address) java.net.InetAddress.getByName("192.0.2.20")),
                z.node(Name.parse("host-011-14.example.com.")).get(RRType.A).getFirst().rdata());
        assertEquals(3 + 3 + 1, z.recordCount());
        assertTrue(z.node(Name.parse("x\\$.example.com.")).containsKey(RRType.TXT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$GENERATE 5-1 $ A 192.0.2.$", "$GENERATE 1-70000 $ A 192.0.2.1",
            "$GENERATE 1-2/0 $ A 192.0.2.1", "$GENERATE \u0661-2 $ A 192.0.2.1", "$GENERATE 1-2 ${0,2,n} PTR x.",
            "$GENERATE 1-2 $", "$GENERATE 1-300 $ A 192.0.2.$"})
    void badLinesNameTheLine(String line) {
        ZoneFileException e = assertThrows(ZoneFileException.class, () -> parse(HEAD + line + "\n"));
        assertTrue(e.getMessage().startsWith("g.zone:6: "), e.getMessage());
    }
}
