package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.dns.wire.Name;
import org.junit.jupiter.api.Test;

/** The zone-level checks of {@link ZoneBuilder}, each reported as {@code file:line}. */
class ZoneChecksTest {
    static final String HEAD = """
            $ORIGIN example.com.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
              IN NS ns1
            ns1 IN A 192.0.2.53
            """;

    static Zone parse(String text) throws ZoneFileException {
        return ZoneFileParser.parse(text, "g.zone", Name.parse("example.com."));
    }

    static void fails(String text, String message) {
        ZoneFileException e = assertThrows(ZoneFileException.class, () -> parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void delegationToAServerBelowItNeedsGlue() {
        fails(HEAD + "sub IN NS ns.sub\n", "g.zone:6: missing glue: the delegation 'sub.example.com.' names"
                + " the server 'ns.sub.example.com.' below it, which has no A or AAAA record");
        fails(HEAD + "sub IN NS ns1\nsub IN NS sub\n", "g.zone:6: missing glue: the delegation"
                + " 'sub.example.com.' names the server 'sub.example.com.' below it, which has no A or AAAA record");
    }

    @Test
    void glueOrAServerElsewhereIsEnough() throws Exception {
        parse(HEAD + "sub IN NS ns.sub\nns.sub IN A 192.0.2.9\n");
        parse(HEAD + "sub IN NS ns.SUB\nns.sub IN AAAA 2001:db8::9\n");
        parse(HEAD + "sub IN NS ns1\nsub IN NS ns.example.net.\nsub IN NS other\n");
    }

    @Test
    void otherZoneLevelChecksNameTheLine() {
        fails("$ORIGIN example.com.\n$TTL 60\nns1 IN A 192.0.2.1\n", "g.zone:3: no SOA record at the zone apex 'example.com.'");
        fails(HEAD + "www IN CNAME ns1\nwww IN A 192.0.2.1\n",
                "g.zone:7: CNAME and other data at 'www.example.com.' (CNAME on line 6)");
        fails(HEAD + "x.example.org. IN A 192.0.2.1\n", "g.zone:6: 'x.example.org.' is out of zone 'example.com.'");
    }
}
