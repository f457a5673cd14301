package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import atoll.dns.wire.Presentation;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;

/**
 * The record types with their own presentation form (DNAME, NAPTR, CAA, SSHFP, TLSA, DS, DNSKEY,
 * RRSIG, NSEC, NSEC3, NSEC3PARAM): golden octets from the RFCs' examples, round trips through
 * presentation and RFC 3597 generic form, and dnsjava reading our octets to the same presentation.
 */
class RecordTypesTest {
    static final String HEAD = """
            $ORIGIN example.com.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
              IN NS ns1
            ns1 IN A 192.0.2.53
            """;

    static Rdata.Unknown one(String owner, String typeAndRdata) throws ZoneFileException {
        Zone z = ZoneFileParser.parse(HEAD + owner + " IN " + typeAndRdata + "\n", "t.zone",
                Name.parse("example.com."));
        int type = RRType.parse(typeAndRdata.split("\\s+")[0]);
        List<ResourceRecord> set = z.node(Name.parse(owner + ".example.com.")).get(type);
        assertEquals(1, set.size());
        return assertInstanceOf(Rdata.Unknown.class, set.getFirst().rdata());
    }

    /** Golden octets: from the RFC where it prints them (RFC 4034 §4.3), else by the RFC's layout. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            alfa | NSEC host.example.com. ( A MX RRSIG NSEC TYPE1234 ) | 04686f7374076578616d706c6503636f6d000006400100000003041b000000000000000000000000000000000000000000000000000020
            d | DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118 | ec4505012bb183af5f22588179a53b0a98631fad1a292118
            c | CAA 0 issue "ca1.example.net" | 000569737375656361312e6578616d706c652e6e6574
            s | SSHFP 2 1 123456789abcdef67890123456789abcdef67890 | 0201123456789abcdef67890123456789abcdef67890
            t | TLSA 3 1 1 0102 | 0301010102
            x | DNAME frobozz-division.acme.example. | 1066726f626f7a7a2d6469766973696f6e0461636d65076578616d706c6500
            n | NAPTR 100 50 "s" "http" "" a.b. | 0064003201730468747470000161016200
            p | NSEC3PARAM 1 0 12 aabbccdd | 0100000c04aabbccdd
            q | NSEC3PARAM 1 0 0 - | 0100000000
            """)
    void goldenOctets(String owner, String rdata, String hex) throws Exception {
        assertEquals(hex, HexFormat.of().formatHex(one(owner, rdata).data()));
    }

    /** Presentation out, presentation back in, generic form in: always the same octets. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DNAME frobozz-division.acme.example. | frobozz-division.acme.example.
            NAPTR 100 50 "s" "z3950+I2L+I2C" "" _z3950._tcp.gatech.edu. | 100 50 "s" "z3950+I2L+I2C" "" _z3950._tcp.gatech.edu.
            CAA 128 tbs "Unknown" | 128 tbs "Unknown"
            CAA 0 iodef mailto:security@example.com | 0 iodef "mailto:security@example.com"
            SSHFP 2 1 123456789abcdef67890123456789abcdef67890 | 2 1 123456789ABCDEF67890123456789ABCDEF67890
            TLSA 0 0 1 ( d2abde240d7cd3ee6b4b28c54df034b9 7983a1d16e8a410e4561cb106618e971 ) | 0 0 1 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB106618E971
            DS 60485 5 1 ( 2BB183AF5F22588179A53B0A98631FAD1A292118 ) | 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
            DNSKEY 257 3 15 ( l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4= ) | 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=
            RRSIG A 5 3 86400 20030322173103 ( 20030220173103 2642 example.com. oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6o ) | A 5 3 86400 20030322173103 20030220173103 2642 example.com. oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6o
            RRSIG TYPE1234 13 2 300 1048000000 1047000000 1 example.com. AAAA | TYPE1234 13 2 300 20030318150640 20030307012000 1 example.com. AAAA
            NSEC host.example.com. A MX RRSIG NSEC TYPE1234 | host.example.com. A MX RRSIG NSEC TYPE1234
            NSEC host.example.com. | host.example.com.
            NSEC3 1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG ) | 1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA MX RRSIG DNSKEY NSEC3PARAM
            NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr | 1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR
            NSEC3PARAM 1 0 12 aabbccdd | 1 0 12 AABBCCDD
            """)
    void roundTrips(String input, String presentation) throws Exception {
        Rdata.Unknown parsed = one("r", input);
        assertEquals(presentation, Presentation.rdata(parsed));
        String type = input.split("\\s+")[0];
        assertEquals(parsed, one("r", type + " " + presentation));
        byte[] d = parsed.data();
        assertEquals(parsed, one("r", type + " \\# " + d.length + " " + HexFormat.of().formatHex(d)));
        // dnsjava reads our octets to the same presentation.
        Record theirs = Record.newRecord(org.xbill.DNS.Name.fromString("r.example.com."), RRType.parse(type),
                DClass.IN, 3600, d);
        assertEquals(presentation.toLowerCase(java.util.Locale.ROOT),
                theirs.rdataToString().replace("( ", "").replace(" )", "").toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DS 1 2 3 xyz | bad hex
            DS 1 2 3 abc | bad hex
            DS 1 2 | missing
            DNSKEY 256 3 5 !!!! | bad Base64
            RRSIG A 5 3 86400 20031322173103 20030220173103 2642 example.com. AAAA | bad signature time
            RRSIG BOGUS 5 3 86400 1 2 2642 example.com. AAAA | unknown type 'BOGUS'
            NSEC host.example.com. A BOGUS | unknown type 'BOGUS' in the type bit map
            NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojw | bad Base32hex
            CAA 0 is-sue "x" | bad CAA tag
            CAA 256 issue "x" | above 255
            TLSA 0 0 1 0102 extra | bad hex
            NSEC3PARAM 1 0 12 aabbccdd extra | unexpected 'extra'
            DS \\# 2 0102 | generic RDATA is not a valid DS
            NSEC3PARAM \\# 5 0100000c05 | generic RDATA is not a valid NSEC3PARAM
            """)
    void badRdataNamesTheLine(String input, String problem) {
        ZoneFileException e = assertThrows(ZoneFileException.class, () -> one("r", input));
        assertTrue(e.getMessage().startsWith("t.zone:6: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    /** Other scripts' digits are no numbers (ARABIC-INDIC DIGIT THREE, DEVANAGARI DIGIT ONE, ...). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            www \u0663600 IN A 192.0.2.1
            www IN MX \u0967\u0966 mail
            www IN TYPE\u0661\u0662 \\# 0
            www CLASS\u0661 A 192.0.2.1
            www IN DS 6048\u0665 5 1 2BB1
            www IN A 192.0.2.\u0661
            $TTL \u0663600
            www IN RRSIG A 5 3 86400 2003032217310\u0663 20030220173103 2642 example.com. AAAA
            """)
    void onlyAsciiDigitsAreNumbers(String line) {
        assertThrows(ZoneFileException.class, () -> ZoneFileParser.parse(HEAD + line + "\n", "t.zone",
                Name.parse("example.com.")));
    }

    @Test
    void asciiDigitsStillWork() throws Exception {
        Zone z = ZoneFileParser.parse(HEAD + "www 300 IN TYPE12 \\# 1 00\n", "t.zone", Name.parse("example.com."));
        assertEquals(300, z.node(Name.parse("www.example.com.")).get(12).getFirst().ttl());
    }
}
