package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 1035 §5.1 master files are octets: golden inputs (the file's octets, written here as
 * ISO-8859-1 strings so that each char is one octet) and the exact octets the zone holds.
 */
class ZoneFileOctetsTest {
    static final Name ORIGIN = Name.parse("example.com.");
    static final String HEAD = "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n";

    static Zone parse(String octets) throws ZoneFileException {
        return ZoneFileParser.parse(octets.getBytes(StandardCharsets.ISO_8859_1), "o.zone", ORIGIN);
    }

    static byte[] txtOctets(Zone z, String owner) {
        Rdata.TXT t = (Rdata.TXT) z.rrset(Name.parse(owner), RRType.TXT).getFirst().rdata();
        return t.strings().getFirst().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void utf8InAQuotedStringIsKeptAsItsOctets() throws Exception {
        // "café" saved as UTF-8: c3 a9 for the é, served as c3 a9 (BIND and NSD do the same).
        Zone z = parse(HEAD + "t TXT \"caf\u00c3\u00a9\"\n");
        assertArrayEquals(hex("636166c3a9"), txtOctets(z, "t.example.com."));
    }

    @Test
    void aLatin1OctetIsKeptAsThatOctet() throws Exception {
        Zone z = parse(HEAD + "t TXT \"n\u00e9\" unquoted\u00e9\n");
        Rdata.TXT t = (Rdata.TXT) z.rrset(Name.parse("t.example.com."), RRType.TXT).getFirst().rdata();
        assertEquals(List.of("n\u00e9", "unquoted\u00e9"), t.strings());
    }

    @Test
    void theStringApiMeansTheUtf8File() throws Exception {
        Zone z = ZoneFileParser.parse(HEAD + "t TXT \"café\"\n", "o.zone", ORIGIN);
        assertArrayEquals(hex("636166c3a9"), txtOctets(z, "t.example.com."));
    }

    @Test
    void anyOctetInACommentIsSkipped() throws Exception {
        Zone z = parse(HEAD + "; \u00ff\u00fe not UTF-8 at all \u0080\nw A 192.0.2.1 ; r\u00e9sum\u00e9 \u00c3\n");
        assertEquals(1, z.rrset(Name.parse("w.example.com."), RRType.A).size());
    }

    @Test
    void nonAsciiOctetsInANameAreLabelOctets() throws Exception {
        // RFC 2181 §11: any octet may be in a label; UTF-8 "é" is the two octets c3 a9.
        Zone z = parse(HEAD + "caf\u00c3\u00a9 A 192.0.2.1\n");
        Name owner = z.names().stream().filter(n -> n.labelCount() == 3).findFirst().orElseThrow();
        assertArrayEquals(hex("636166c3a9"), owner.label(0));
        assertEquals("caf\\195\\169.example.com.", owner.toString());
    }

    @Test
    void aUtf8ByteOrderMarkAtTheStartIsSkipped() throws Exception {
        Zone z = parse("\u00ef\u00bb\u00bf" + HEAD);
        assertEquals(ORIGIN, z.origin());
    }

    @Test
    void anOctetWrongWhereItStandsIsFileLineAndTheOctet() {
        ZoneFileException e = assertThrows(ZoneFileException.class, () -> parse(HEAD + "w A 192.0.2.1\u00a0\n"));
        assertEquals("o.zone:4: bad IPv4 address '192.0.2.1\\160'", e.getMessage());
        e = assertThrows(ZoneFileException.class, () -> parse(HEAD + "w 3600\u00c3\u00a9 A 192.0.2.1\n"));
        assertEquals("o.zone:4: bad TTL '3600\\195\\169'", e.getMessage());
        e = assertThrows(ZoneFileException.class, () -> parse(HEAD + "w TX\u00d4 \"x\"\n"));
        assertEquals("o.zone:4: unknown type 'TX\\212'", e.getMessage());
        // NEL (0x85) would break a line in some viewers: it is shown as an escape too.
        e = assertThrows(ZoneFileException.class, () -> parse(HEAD + "w A \u0085\n"));
        assertEquals("o.zone:4: bad IPv4 address '\\133'", e.getMessage());
    }

    @Test
    void anRRsetTooLargeForAnyMessageIsAWarningAtItsLine() throws Exception {
        StringBuilder z = new StringBuilder(HEAD);
        for (int i = 0; i < 300; i++) { // 300 x (12 + 251) octets: about 79 000, over 65 535
            z.append("big TXT \"").append(String.format("%03d", i)).append("y".repeat(247)).append("\"\n");
        }
        z.append("small TXT \"").append("y".repeat(250)).append("\"\n");
        Zone zone = parse(z.toString());
        List<String> big = zone.warnings().stream().filter(w -> w.contains("does not fit")).toList();
        assertEquals(List.of("o.zone:4: the TXT RRset at 'big.example.com.' (300 records) does not fit in a DNS"
                + " message (at most 65535 octets): queries for it get TC=1 over UDP and SERVFAIL over TCP"), big);
    }

    @Test
    void anRRsetJustUnderTheLimitIsNotWarnedAbout() throws Exception {
        StringBuilder z = new StringBuilder(HEAD);
        // 240 x (2 + 10 + 1 + 250) = 63 120 octets plus header and question: fits in 65 535.
        for (int i = 0; i < 240; i++) {
            z.append("big TXT \"").append(String.format("%03d", i)).append("y".repeat(247)).append("\"\n");
        }
        Zone zone = parse(z.toString());
        assertTrue(zone.warnings().stream().noneMatch(w -> w.contains("does not fit")), zone.warnings()::toString);
    }
}
