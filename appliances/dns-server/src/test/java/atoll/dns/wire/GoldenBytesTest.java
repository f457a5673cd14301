package atoll.dns.wire;

import static atoll.dns.wire.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-assembled messages (RFC 1035 §4.1 layout, one comment per field): parse, write, compare. */
class GoldenBytesTest {

    static final Name WWW = Name.parse("www.example.com.");

    /** (a) A query for www.example.com. A IN with RD and an OPT record carrying a cookie. */
    static final String QUERY = ""
            + "1234"            // ID
            + "0100"            // QR=0 OPCODE=0 AA=0 TC=0 RD=1 RA=0 Z=0 AD=0 CD=0 RCODE=0
            + "0001"            // QDCOUNT 1
            + "0000"            // ANCOUNT 0
            + "0000"            // NSCOUNT 0
            + "0001"            // ARCOUNT 1 (the OPT)
            + "03 777777"       // QNAME label "www"
            + "07 6578616d706c65" // label "example"
            + "03 636f6d"       // label "com"
            + "00"              // root label
            + "0001"            // QTYPE A
            + "0001"            // QCLASS IN
            + "00"              // OPT NAME: root (RFC 6891 §6.1.2)
            + "0029"            // TYPE OPT (41)
            + "04d0"            // CLASS: UDP payload size 1232
            + "00"              // TTL: EXTENDED-RCODE 0
            + "00"              //      VERSION 0
            + "8000"            //      DO=1, Z=0
            + "000c"            // RDLENGTH 12
            + "000a"            // OPTION-CODE 10 (COOKIE, RFC 7873)
            + "0008"            // OPTION-LENGTH 8
            + "0102030405060708"; // client cookie

    @Test
    void queryWithOpt() throws DnsFormatException {
        byte[] wire = hex(QUERY);
        Message expected = Message.query(Header.query(0x1234, Opcode.QUERY, true),
                new Question(WWW, RRType.A, RRClass.IN),
                new Edns(1232, 0, 0, true, List.of(new EdnsOption(10, hex("0102030405060708")))));

        Message parsed = MessageReader.parse(wire);
        assertEquals(expected, parsed);
        assertTrue(parsed.additionals().isEmpty(), "OPT is kept out of the additional records");
        assertEquals(Rcode.NOERROR, parsed.rcode());
        assertEquals(hex(wire), hex(MessageWriter.toBytes(expected)));
        assertEquals(expected.header(), Header.peek(MemorySegment.ofArray(wire)));
    }

    @Test
    void peekNeedsTwelveOctets() {
        assertNull(Header.peek(MemorySegment.ofArray(hex("12340100000100000000"))));
        Header h = Header.peek(MemorySegment.ofArray(hex("abcd 2100 ffff ffff ffff ffff"))); // counts bogus
        assertEquals(0xabcd, h.id());
        assertEquals(Opcode.NOTIFY, h.opcode()); // 0x2100: OPCODE 4 (bits 1-4 = 0100), RD=1
        assertTrue(h.rd());
    }

    /** (b) A response whose names are compressed by pointers. */
    static final String RESPONSE = ""
            + "1234"            // ID
            + "8580"            // QR=1 OPCODE=0 AA=1 TC=0 RD=1 RA=1 Z=0 AD=0 CD=0 RCODE=0
            + "0001"            // QDCOUNT 1
            + "0002"            // ANCOUNT 2
            + "0001"            // NSCOUNT 1
            + "0001"            // ARCOUNT 1
            // offset 12: question; "example.com." starts at 16 (0x10)
            + "03 777777 07 6578616d706c65 03 636f6d 00" // www.example.com.
            + "0001 0001"       // A IN
            // offset 33: answer 1
            + "c00c"            // NAME: pointer to 12, www.example.com.
            + "0001 0001"       // TYPE A, CLASS IN
            + "00000e10"        // TTL 3600
            + "0004 c0000201"   // RDLENGTH 4, 192.0.2.1
            // offset 49: answer 2
            + "c00c 0001 0001 00000e10 0004 c0000202" // www.example.com. A 192.0.2.2
            // offset 65: authority
            + "c010"            // NAME: pointer to 16, example.com.
            + "0002 0001"       // TYPE NS, CLASS IN
            + "00000e10"        // TTL 3600
            + "0006"            // RDLENGTH 6
            + "03 6e7331 c010"  // NSDNAME: "ns1" at 77 (0x4d), then pointer to example.com.
            // offset 83: additional
            + "c04d"            // NAME: pointer to 77, ns1.example.com.
            + "0001 0001 00000e10 0004 c0000235"; // A IN 3600 192.0.2.53

    @Test
    void responseWithCompression() throws Exception {
        byte[] wire = hex(RESPONSE);
        assertEquals(99, wire.length);
        Name zone = Name.parse("example.com.");
        Name ns1 = Name.parse("ns1.example.com.");
        Message expected = new Message(
                new Header(0x1234, true, Opcode.QUERY, true, false, true, true, false, false, Rcode.NOERROR),
                List.of(new Question(WWW, RRType.A, RRClass.IN)),
                List.of(new ResourceRecord(WWW, RRClass.IN, 3600, a("192.0.2.1")),
                        new ResourceRecord(WWW, RRClass.IN, 3600, a("192.0.2.2"))),
                List.of(new ResourceRecord(zone, RRClass.IN, 3600, new Rdata.NS(ns1))),
                List.of(new ResourceRecord(ns1, RRClass.IN, 3600, a("192.0.2.53"))),
                null);
        Message parsed = MessageReader.parse(wire);
        assertEquals(expected, parsed);
        assertEquals(hex(wire), hex(MessageWriter.toBytes(parsed)));
        assertEquals(hex(wire), hex(MessageWriter.toBytes(expected)));
    }

    @Test
    void compressionKeepsTheCaseOfTheFirstOccurrence() throws Exception {
        Name mixed = Name.parse("WwW.ExAmple.COM.");
        Message m = new Message(Header.query(7, Opcode.QUERY, false),
                List.of(new Question(mixed, RRType.A, RRClass.IN)),
                List.of(new ResourceRecord(WWW, RRClass.IN, 60, a("192.0.2.1"))), List.of(), List.of(), null);
        byte[] wire = MessageWriter.toBytes(m);
        // owner name is a pointer to the question name at offset 12
        assertEquals("c00c", hex(wire).substring(2 * 33, 2 * 35));
        Message parsed = MessageReader.parse(wire);
        assertEquals("WwW.ExAmple.COM.", parsed.answers().getFirst().name().toString());
        assertEquals(m, parsed); // names are equal ignoring case
    }

    static Stream<Arguments> rdataTypes() throws Exception {
        return Stream.of(
                Arguments.of(a("192.0.2.1"), "c0000201"),
                Arguments.of(new Rdata.AAAA((Inet6Address) InetAddress.getByName("2001:db8::1")),
                        "20010db8000000000000000000000001"),
                // IPv4-mapped stays AAAA (RFC 4291 §2.5.5.2), 16 octets
                Arguments.of(new Rdata.AAAA(Inet6Address.getByAddress(null, hex("00000000000000000000ffffc0000201"), -1)),
                        "00000000000000000000ffffc0000201"),
                Arguments.of(new Rdata.NS(Name.parse("ns.example.")), "02 6e73 07 6578616d706c65 00"),
                Arguments.of(new Rdata.CNAME(Name.parse("target.example.")), "06 746172676574 07 6578616d706c65 00"),
                Arguments.of(new Rdata.PTR(Name.parse("ptr.example.")), "03 707472 07 6578616d706c65 00"),
                // RDATA starts at 25: "example." at 28 (0x1c), RNAME compressed against MNAME
                Arguments.of(new Rdata.SOA(Name.parse("ns.example."), Name.parse("hostmaster.example."),
                        2026112701L, 7200, 3600, 1209600, 300),
                        "02 6e73 07 6578616d706c65 00" // MNAME ns.example.
                        + "0a 686f73746d6173746572 c01c" // RNAME hostmaster + pointer to example.
                        + "78c406bd" // SERIAL 2026112701
                        + "00001c20 00000e10 00127500 0000012c"), // REFRESH RETRY EXPIRE MINIMUM
                Arguments.of(new Rdata.SOA(Name.ROOT, Name.ROOT, 0xffffffffL, 0, 0, 0, 0xffffffffL),
                        "00 00 ffffffff 00000000 00000000 00000000 ffffffff"),
                Arguments.of(new Rdata.MX(10, Name.parse("mail.example.")), "000a 046d61696c 076578616d706c65 00"),
                Arguments.of(new Rdata.TXT(List.of("", "hello", "a".repeat(255))),
                        "00" + "05 68656c6c6f" + "ff" + "61".repeat(255)),
                Arguments.of(new Rdata.TXT(List.of("\u0000\u00ff\"")), "03 00ff22"),
                Arguments.of(new Rdata.SRV(0, 5, 5060, Name.parse("sip.example.")),
                        "0000 0005 13c4 03 736970 07 6578616d706c65 00"),
                Arguments.of(new Rdata.Unknown(65280, hex("0a0b0c")), "0a0b0c"),
                Arguments.of(new Rdata.Unknown(RRType.HINFO, hex("03 505043 05 4c696e7578")), "03505043054c696e7578"),
                Arguments.of(new Rdata.Unknown(1234, new byte[0]), ""));
    }

    /** (c) Every modelled RDATA type: exact octets, and back. Owner "x." (017800), class IN, TTL 300. */
    @ParameterizedTest
    @MethodSource("rdataTypes")
    void rdataRoundTrip(Rdata rdata, String rdataHex) throws Exception {
        Message m = new Message(
                new Header(0, true, Opcode.QUERY, true, false, false, false, false, false, Rcode.NOERROR),
                List.of(), List.of(new ResourceRecord(Name.parse("x."), RRClass.IN, 300, rdata)),
                List.of(), List.of(), null);
        String rd = rdataHex.replace(" ", "");
        String expected = "0000 8400 0000 0001 0000 0000" // header: QR AA, ANCOUNT 1
                + "017800"                                  // owner x.
                + String.format("%04x", rdata.type())        // TYPE
                + "0001 0000012c"                           // CLASS IN, TTL 300
                + String.format("%04x", rd.length() / 2)     // RDLENGTH
                + rd;
        byte[] wire = MessageWriter.toBytes(m);
        assertEquals(hex(hex(expected)), hex(wire));
        assertEquals(m, MessageReader.parse(wire));
    }

    @Test
    void srvTargetIsNeverCompressedButMxExchangeIs() throws Exception {
        Name sip = Name.parse("sip.example.");
        Message m = new Message(
                new Header(0, true, Opcode.QUERY, true, false, false, false, false, false, Rcode.NOERROR),
                List.of(), List.of(
                        new ResourceRecord(sip, RRClass.IN, 300, new Rdata.SRV(1, 2, 3, sip)),
                        new ResourceRecord(sip, RRClass.IN, 300, new Rdata.MX(1, sip))),
                List.of(), List.of(), null);
        String w = hex(MessageWriter.toBytes(m));
        String srv = "0021 0001 0000012c 0013 0001 0002 0003 03736970 076578616d706c65 00";
        String mx = "c00c 000f 0001 0000012c 0004 0001 c00c";
        assertEquals(hex(hex("0000 8400 0000 0002 0000 0000 03736970 076578616d706c65 00" + srv + mx)), w);
    }

    @Test
    void rfc2136EmptyRdataUnderClassAnyOrNone() throws Exception {
        // RFC 2136 §2.5.2 "Delete An RRset": CLASS ANY, TYPE A, TTL 0, RDLENGTH 0.
        byte[] wire = hex("0001 2800 0000 0000 0001 0000 017800 0001 00ff 00000000 0000");
        Message m = MessageReader.parse(wire);
        ResourceRecord rr = m.authorities().getFirst();
        assertEquals(new Rdata.Unknown(RRType.A, new byte[0]), rr.rdata());
        assertEquals(RRClass.ANY, rr.rrClass());
        assertEquals(hex(wire), hex(MessageWriter.toBytes(m)));
        // ... while class IN with an empty A is malformed.
        Wire.assertFormErr(hex("0001 2800 0000 0000 0001 0000 017800 0001 0001 00000000 0000"));
    }

    @Test
    void extendedRcodeCombinesHeaderAndOpt() throws Exception {
        // BADVERS = 16: header RCODE 0, EXTENDED-RCODE 1 (RFC 6891 §6.1.3, §9).
        Message m = new Message(
                new Header(1, true, Opcode.QUERY, false, false, false, false, false, false, 0),
                List.of(), List.of(), List.of(), List.of(), new Edns(1232, 1, 0, false, List.of()));
        assertEquals(Rcode.BADVERS, m.rcode());
        byte[] wire = MessageWriter.toBytes(m);
        assertEquals(hex(hex("0001 8000 0000 0000 0000 0001 00 0029 04d0 01 00 0000 0000")), hex(wire));
        assertEquals(Rcode.BADVERS, MessageReader.parse(wire).rcode());
    }

    @Test
    void payloadLimitIsAtLeast512() {
        assertEquals(512, Edns.of(0, false).payloadLimit()); // RFC 6891 §6.2.5
        assertEquals(512, Edns.of(511, false).payloadLimit());
        assertEquals(1232, Edns.of(1232, false).payloadLimit());
    }

    @Test
    void toStringLooksLikeDig() throws Exception {
        String text = MessageReader.parse(hex(RESPONSE)).toString();
        assertTrue(text.contains(";; flags: qr aa rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 1"), text);
        assertTrue(text.contains("www.example.com.\t3600\tIN\tA\t192.0.2.1"), text);
        assertTrue(text.contains("example.com.\t3600\tIN\tNS\tns1.example.com."), text);
    }

    static Rdata.A a(String dotted) throws Exception {
        return new Rdata.A((Inet4Address) InetAddress.getByName(dotted));
    }
}
