package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.MessageWriter;
import atoll.dns.zone.AnswerStyle;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The answer features of issue 8 through {@link QueryEngine}, with dnsjava building the queries
 * and reading the responses: NSID (RFC 5001), edns-tcp-keepalive (RFC 7828), ANY (RFC 8482), DNAME
 * (RFC 6672) and the non-minimal answer style. Each query is answered on UDP and on TCP.
 */
class AnswerOptionsTest {
    static final String ZONE = """
            $ORIGIN example.com.
            $TTL 3600
            @    IN SOA ns1 hostmaster 2026112901 7200 3600 1209600 300
                 IN NS  ns1
                 IN MX  10 mail
            ns1  IN A   192.0.2.53
            mail IN A   192.0.2.25
            www  IN TXT "t"
                 IN AAAA 2001:db8::80
                 IN A   192.0.2.80
            dn   IN DNAME www
            long IN DNAME %s.example.com.
            """.formatted("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63));

    static final byte[] NSID = "ns-atoll-1".getBytes(StandardCharsets.US_ASCII);

    final QueryEngine engine;
    final QueryEngine nonMinimal;
    final QueryEngine anonymous;

    AnswerOptionsTest() throws Exception {
        List<atoll.dns.zone.Zone> zones = List.of(ZoneFileParser.parse(ZONE, "test.zone", atoll.dns.wire.Name.parse("example.com.")));
        EdnsSettings edns = new EdnsSettings(1232, NSID, Duration.ofMillis(12_345));
        engine = new QueryEngine(new ZoneSet(zones), edns, new QueryEngineTest().metrics);
        nonMinimal = new QueryEngine(new ZoneSet(zones, AnswerStyle.WITH_AUTHORITY), edns, new QueryEngineTest().metrics);
        anonymous = new QueryEngine(new ZoneSet(zones), 1232, new QueryEngineTest().metrics);
    }

    static Message ask(QueryEngine engine, Message query, Transport transport) throws IOException {
        MemorySegment out = MemorySegment.ofArray(new byte[65535]);
        int n = engine.respond(MemorySegment.ofArray(query.toWire()), transport, out, new MessageWriter());
        assertTrue(n > 0);
        return new Message(out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    }

    static Message query(String name, int type, EDNSOption... options) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(options)), Section.ADDITIONAL);
        return q;
    }

    static byte[] option(Message response, int code) {
        OPTRecord opt = response.getOPT();
        if (opt == null) {
            return null;
        }
        List<EDNSOption> found = opt.getOptions(code);
        if (found.isEmpty()) {
            return null;
        }
        // dnsjava decodes the codes it knows into their own classes; take the octets off the wire
        // form (OPTION-CODE, OPTION-LENGTH, then the data).
        byte[] wire = found.getFirst().toWire();
        return java.util.Arrays.copyOfRange(wire, 4, wire.length);
    }

    @Test
    void nsidIsSentOnlyWhenAskedAndOnlyWhenConfigured() throws IOException {
        for (Transport t : Transport.values()) {
            Message asked = ask(engine, query("www.example.com.", Type.A, new GenericEDNSOption(3, new byte[0])), t);
            assertArrayEquals(NSID, option(asked, 3), t.toString());
            // RFC 5001 §2.1: payload data in the query is ignored.
            Message withData = ask(engine, query("www.example.com.", Type.A, new GenericEDNSOption(3, new byte[] {1, 2})), t);
            assertArrayEquals(NSID, option(withData, 3));
            assertNull(option(ask(engine, query("www.example.com.", Type.A), t), 3), "not asked");
            assertNull(option(ask(anonymous, query("www.example.com.", Type.A, new GenericEDNSOption(3, new byte[0])), t), 3),
                    "no NSID configured: none sent");
            // Also on a negative answer and a refusal.
            assertArrayEquals(NSID, option(ask(engine, query("nope.example.com.", Type.A, new GenericEDNSOption(3, new byte[0])), t), 3));
            assertArrayEquals(NSID, option(ask(engine, query("example.org.", Type.A, new GenericEDNSOption(3, new byte[0])), t), 3));
        }
    }

    @Test
    void keepaliveSignalsTheIdleTimeoutOverTcpOnly() throws Exception {
        Message tcp = ask(engine, query("www.example.com.", Type.A, new GenericEDNSOption(11, new byte[0])), Transport.TCP);
        // RFC 7828 §3.1: units of 100 ms; 12.345 s is 123.
        assertArrayEquals(new byte[] {0, 123}, option(tcp, 11));
        assertEquals(1, tcp.getSection(Section.ANSWER).size());
        // RFC 7828 §3.3.2: never over UDP; §3.3.1: the option in a UDP query is ignored.
        Message udp = ask(engine, query("www.example.com.", Type.A, new GenericEDNSOption(11, new byte[0])), Transport.UDP);
        assertNull(option(udp, 11));
        assertEquals(Rcode.NOERROR, udp.getRcode());
        assertNull(option(ask(engine, query("www.example.com.", Type.A), Transport.TCP), 11), "not asked");
        // A TIMEOUT sent by a client (RFC 7828 §3.2.1 says it must not) is ignored.
        assertArrayEquals(new byte[] {0, 123},
                option(ask(engine, query("www.example.com.", Type.A, new GenericEDNSOption(11, new byte[] {0, 5})), Transport.TCP), 11));
        // The 16-bit field caps a long timeout.
        QueryEngine hour = new QueryEngine(ZoneSet.of(), new EdnsSettings(1232, new byte[0], Duration.ofHours(2)),
                new QueryEngineTest().metrics);
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff},
                option(ask(hour, query("www.example.com.", Type.A, new GenericEDNSOption(11, new byte[0])), Transport.TCP), 11));
    }

    @Test
    void anyGetsOneRrsetOverEveryTransport() throws IOException {
        for (Transport t : Transport.values()) {
            Message r = ask(engine, query("www.example.com.", Type.ANY), t);
            assertEquals(Rcode.NOERROR, r.getRcode());
            // RFC 8482 §4.1, Knot's choice: the lowest TYPE, A (TXT and AAAA come first in the file).
            assertEquals(List.of(Type.A), r.getSection(Section.ANSWER).stream().map(Record::getType).toList(), t.toString());
            Message apex = ask(engine, query("example.com.", Type.ANY), t);
            assertEquals(List.of(Type.NS), apex.getSection(Section.ANSWER).stream().map(Record::getType).toList());
            assertEquals(List.of(Type.A), apex.getSection(Section.ADDITIONAL).stream().map(Record::getType)
                    .filter(x -> x != Type.OPT).toList(), "the NS target's address");
        }
    }

    @Test
    void dnameIsSynthesizedAndTooLongIsYxdomain() throws IOException {
        Message r = ask(engine, query("WWW.dn.example.com.", Type.A), Transport.UDP);
        assertEquals(Rcode.NXDOMAIN, r.getRcode()); // www.www.example.com. does not exist
        List<Record> answer = r.getSection(Section.ANSWER);
        assertEquals(List.of(Type.DNAME, Type.CNAME), answer.stream().map(Record::getType).toList());
        assertEquals("WWW.dn.example.com.", answer.get(1).getName().toString());
        // The labels taken from the QNAME keep the case they were asked in.
        assertEquals("WWW.www.example.com.", ((org.xbill.DNS.CNAMERecord) answer.get(1)).getTarget().toString());
        Message yx = ask(engine, query("x".repeat(63) + "." + "y".repeat(60) + ".long.example.com.", Type.A), Transport.TCP);
        assertEquals(Rcode.YXDOMAIN, yx.getRcode());
        assertEquals(List.of(Type.DNAME), yx.getSection(Section.ANSWER).stream().map(Record::getType).toList());
    }

    @Test
    void theSynthesizedCnamePointsIntoTheDnameTarget() throws IOException {
        // Without EDNS the limit is 512 octets: the DNAME (its 205-octet target uncompressed, RFC
        // 6672 §2.5), the CNAME and the SOA fit only if the CNAME's target ends in a pointer into
        // the DNAME's (526 octets otherwise, and TC).
        Message q = Message.newQuery(Record.newRecord(Name.fromString("nxabcdef.long.example.com."), Type.A, DClass.IN));
        for (QueryEngine e : List.of(engine, anonymous)) {
            MemorySegment out = MemorySegment.ofArray(new byte[65535]);
            int n = e.respond(MemorySegment.ofArray(q.toWire()), Transport.UDP, out, new MessageWriter());
            Message r = new Message(out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            assertTrue(n <= 512 && !r.getHeader().getFlag(org.xbill.DNS.Flags.TC), n + " octets");
            assertEquals(List.of(Type.DNAME, Type.CNAME), r.getSection(Section.ANSWER).stream().map(Record::getType).toList());
            assertEquals("nxabcdef." + "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".example.com.",
                    ((org.xbill.DNS.CNAMERecord) r.getSection(Section.ANSWER).get(1)).getTarget().toString());
        }
    }

    @Test
    void nonMinimalAnswersAddTheNsRrset() throws IOException {
        Message r = ask(nonMinimal, query("mail.example.com.", Type.A), Transport.UDP);
        assertEquals(List.of(Type.NS), r.getSection(Section.AUTHORITY).stream().map(Record::getType).toList());
        assertEquals(List.of("ns1.example.com."), r.getSection(Section.ADDITIONAL).stream()
                .filter(x -> x.getType() == Type.A).map(x -> x.getName().toString()).toList());
        Message minimal = ask(engine, query("mail.example.com.", Type.A), Transport.UDP);
        assertTrue(minimal.getSection(Section.AUTHORITY).isEmpty());
        Message negative = ask(nonMinimal, query("nope.example.com.", Type.A), Transport.UDP);
        assertEquals(List.of(Type.SOA), negative.getSection(Section.AUTHORITY).stream().map(Record::getType).toList());
    }

    @Test
    void nsidConfigurationAcceptsTextAndHex() {
        assertArrayEquals("ns1.example".getBytes(StandardCharsets.US_ASCII), Nsid.TYPE.parse("ns1.example"));
        assertArrayEquals(new byte[] {0x01, (byte) 0xab}, Nsid.TYPE.parse("hex:01AB"));
        assertArrayEquals(new byte[0], Nsid.TYPE.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Nsid.TYPE.parse("hex:abc"));
        assertThrows(IllegalArgumentException.class, () -> Nsid.TYPE.parse("hex:zz"));
        assertThrows(IllegalArgumentException.class, () -> Nsid.TYPE.parse("hex:"));
        assertThrows(IllegalArgumentException.class, () -> Nsid.TYPE.parse("x".repeat(Nsid.MAX_OCTETS + 1)));
        assertEquals("hex:01ab", Nsid.TYPE.format(new byte[] {0x01, (byte) 0xab}));
        assertEquals("ns1", Nsid.TYPE.format("ns1".getBytes(StandardCharsets.US_ASCII)));
    }
}
