package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The query engine with dnsjava as the independent peer: dnsjava builds the queries and parses the
 * responses, so our codec is checked against another implementation's.
 */
class QueryEngineTest {
    static final String ZONE = """
            $ORIGIN example.com.
            $TTL 3600
            @    IN SOA ns1 hostmaster 2026112701 7200 3600 1209600 300
                 IN NS  ns1
            ns1  IN A   192.0.2.53
            www  IN A   192.0.2.80
            www  IN AAAA 2001:db8::80
            big  IN TXT "%s"
            """;

    final TestMetrics metrics = new TestMetrics();
    final QueryEngine engine;

    QueryEngineTest() throws Exception {
        StringBuilder big = new StringBuilder(ZONE.formatted("x".repeat(200)));
        for (int i = 0; i < 60; i++) {
            big.append("many IN A 192.0.2.").append(i + 1).append('\n');
        }
        ZoneSet zones = new ZoneSet(List.of(ZoneFileParser.parse(big.toString(), "test.zone",
                atoll.dns.wire.Name.parse("example.com."))));
        engine = new QueryEngine(zones, 1232, metrics);
    }

    Message ask(Message query, boolean udp) throws IOException {
        byte[] wire = query.toWire();
        return ask(wire, udp);
    }

    Message ask(byte[] wire, boolean udp) throws IOException {
        MemorySegment out = MemorySegment.ofArray(new byte[65535]);
        int n = engine.respond(MemorySegment.ofArray(wire), udp ? Transport.UDP : Transport.TCP, out, new atoll.dns.wire.MessageWriter());
        if (n < 0) {
            return null;
        }
        byte[] resp = out.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        if (udp) {
            assertTrue(n <= 65535);
        }
        return new Message(resp);
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    @Test
    void answersAuthoritativelyWithTheAddress() throws IOException {
        Message q = query("www.example.com.", Type.A);
        Message r = ask(q, true);
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertEquals(q.getHeader().getID(), r.getHeader().getID());
        assertTrue(r.getHeader().getFlag(Flags.QR));
        assertTrue(r.getHeader().getFlag(Flags.AA));
        assertTrue(r.getHeader().getFlag(Flags.RD), "RD is copied from the query");
        assertFalse(r.getHeader().getFlag(Flags.RA));
        List<Record> answer = r.getSection(Section.ANSWER);
        assertEquals(1, answer.size());
        assertEquals("192.0.2.80", ((ARecord) answer.getFirst()).getAddress().getHostAddress());
        assertEquals(3600, answer.getFirst().getTTL());
    }

    @Test
    void nxdomainCarriesTheSoaWithTheNegativeTtl() throws IOException {
        Message r = ask(query("nope.example.com.", Type.A), true);
        assertEquals(Rcode.NXDOMAIN, r.getRcode());
        assertTrue(r.getHeader().getFlag(Flags.AA));
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
        List<Record> auth = r.getSection(Section.AUTHORITY);
        assertEquals(1, auth.size());
        SOARecord soa = (SOARecord) auth.getFirst();
        // RFC 2308 §3: the SOA TTL in a negative answer is min(SOA TTL, MINIMUM) = 300.
        assertEquals(300, soa.getTTL());
    }

    @Test
    void nodataIsNoerrorWithSoa() throws IOException {
        Message r = ask(query("ns1.example.com.", Type.AAAA), true);
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, r.getSection(Section.AUTHORITY).getFirst().getType());
    }

    @Test
    void refusesNamesOutsideItsZones() throws IOException {
        Message r = ask(query("www.example.org.", Type.A), true);
        assertEquals(Rcode.REFUSED, r.getRcode());
        assertFalse(r.getHeader().getFlag(Flags.AA));
    }

    @Test
    void preservesTheCaseOfTheQuestion() throws IOException {
        Message r = ask(query("WwW.ExAmPlE.cOm.", Type.A), true);
        assertEquals("WwW.ExAmPlE.cOm.", r.getQuestion().getName().toString());
        assertEquals(1, r.getSection(Section.ANSWER).size());
    }

    @Test
    void malformedQueryGetsFormerrWithItsId() throws IOException {
        byte[] wire = query("www.example.com.", Type.A).toWire();
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 3); // question cut short
        Message r = ask(cut, true);
        assertNotNull(r);
        assertEquals(Rcode.FORMERR, r.getRcode());
        assertEquals(((wire[0] & 0xff) << 8) | (wire[1] & 0xff), r.getHeader().getID());
        assertEquals(1, metrics.value("dns.formerr"));
    }

    @Test
    void tooShortForAnIdOrAResponseIsDropped() throws IOException {
        assertNull(ask(new byte[11], true));
        Message resp = query("www.example.com.", Type.A);
        resp.getHeader().setFlag(Flags.QR);
        assertNull(ask(resp, true));
        assertEquals(2, metrics.value("dns.dropped"));
    }

    @Test
    void unknownOpcodeIsNotImplemented() throws IOException {
        Message q = query("www.example.com.", Type.A);
        q.getHeader().setOpcode(Opcode.UPDATE);
        assertEquals(Rcode.NOTIMP, ask(q, true).getRcode());
    }

    @Test
    void twoQuestionsAreAFormatError() throws IOException {
        Message q = query("www.example.com.", Type.A);
        q.addRecord(Record.newRecord(Name.fromString("ns1.example.com."), Type.A, DClass.IN), Section.QUESTION);
        assertEquals(Rcode.FORMERR, ask(q, true).getRcode());
    }

    @Test
    void ednsQueryGetsOptBackAndUnknownVersionGetsBadvers() throws IOException {
        Message q = query("www.example.com.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message r = ask(q, true);
        OPTRecord opt = r.getOPT();
        assertNotNull(opt, "RFC 6891 §7: an EDNS query gets an OPT in the response");
        assertEquals(1232, opt.getPayloadSize());

        Message v1 = query("www.example.com.", Type.A);
        v1.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
        Message bad = ask(v1, true);
        assertEquals(Rcode.BADVERS, bad.getRcode());
        assertNotNull(bad.getOPT());
    }

    /** Found by the conformance module's differential suite: NSD and Knot echo DO, this server did not. */
    @Test
    void theDoBitIsCopiedIntoTheResponse() throws IOException {
        for (String name : List.of("www.example.com.", "nope.example.com.")) {
            Message q = query(name, Type.A);
            q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
            for (boolean udp : List.of(true, false)) {
                OPTRecord opt = ask(q, udp).getOPT();
                assertNotNull(opt, name);
                assertEquals(ExtendedFlags.DO, opt.getFlags() & ExtendedFlags.DO, "RFC 3225 §3: DO copied, " + name);
            }
            Message plain = query(name, Type.A);
            plain.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            assertEquals(0, ask(plain, true).getOPT().getFlags() & ExtendedFlags.DO, name);
        }
    }

    @Test
    void largeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        Message udp = ask(query("many.example.com.", Type.A), true);
        // 60 A records need more than 512 octets: RFC 2181 §9, TC set, the client retries on TCP.
        assertTrue(udp.getHeader().getFlag(Flags.TC));
        assertTrue(udp.toWire().length <= 512);
        Message tcp = ask(query("many.example.com.", Type.A), false);
        assertFalse(tcp.getHeader().getFlag(Flags.TC));
        assertEquals(60, tcp.getSection(Section.ANSWER).size());

        Message edns = query("many.example.com.", Type.A);
        edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message big = ask(edns, true);
        assertFalse(big.getHeader().getFlag(Flags.TC), "fits in the 1232 octets offered");
        assertEquals(60, big.getSection(Section.ANSWER).size());
    }

    @Test
    void answersUseNameCompression() throws IOException {
        Message r = ask(query("many.example.com.", Type.A), false);
        // Uncompressed, each of the 60 owners would repeat 18 octets of name.
        int uncompressed = 12 + 22 + 60 * (18 + 10 + 4);
        assertTrue(r.toWire().length < uncompressed - 60 * 10);
        RRset set = r.getSectionRRsets(Section.ANSWER).getFirst();
        assertEquals(60, set.size());
    }

    @Test
    void zoneTransfersAreRefused() throws IOException {
        assertEquals(Rcode.REFUSED, ask(query("example.com.", Type.AXFR), false).getRcode());
    }

    /** Minimal Metrics for tests. */
    static final class TestMetrics implements atoll.libos.metrics.Metrics {
        final Map<String, LongAdder> counters = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Counter counter(String name) {
            LongAdder a = counters.computeIfAbsent(name, k -> new LongAdder());
            return new Counter() {
                public void increment() {
                    a.increment();
                }

                public void add(long n) {
                    a.add(n);
                }

                public long value() {
                    return a.sum();
                }
            };
        }

        @Override
        public void gauge(String name, LongSupplier value) {}

        @Override
        public SortedMap<String, Long> snapshot() {
            SortedMap<String, Long> m = new TreeMap<>();
            counters.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }

        long value(String name) {
            LongAdder a = counters.get(name);
            return a == null ? 0 : a.sum();
        }
    }
}
