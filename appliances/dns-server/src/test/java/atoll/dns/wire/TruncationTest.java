package atoll.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writing under a size limit: RFC 1035 §4.2.1, RFC 2181 §9, RFC 6891 §7. */
class TruncationTest {
    static final Name ZONE = Name.parse("example.com.");
    final MessageWriter writer = new MessageWriter();
    final byte[] buffer = new byte[MessageWriter.MAX_LIMIT];

    static Header response() {
        return new Header(42, true, Opcode.QUERY, true, false, true, false, false, false, Rcode.NOERROR);
    }

    static ResourceRecord a(Name owner, int host) throws Exception {
        return new ResourceRecord(owner, RRClass.IN, 300,
                new Rdata.A((Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) host})));
    }

    static ResourceRecord aaaa(Name owner, int host) throws Exception {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[15] = (byte) host;
        return new ResourceRecord(owner, RRClass.IN, 300, new Rdata.AAAA(Inet6Address.getByAddress(null, b, -1)));
    }

    Message written(Message m, int limit, boolean expectTc) throws DnsFormatException {
        MessageWriter.WriteResult r = writer.write(m, MemorySegment.ofArray(buffer), limit);
        assertTrue(r.length() <= limit, "wrote " + r.length() + " octets, limit " + limit);
        assertEquals(expectTc, r.truncated());
        Message back = MessageReader.parse(MemorySegment.ofArray(buffer).asSlice(0, r.length()));
        assertEquals(expectTc || m.header().tc(), back.header().tc());
        return back;
    }

    @Test
    void manyAnswersSetTcAndKeepWholeRRsets() throws Exception {
        // 60 hosts, each its own RRset of 2 A records: ~32 octets per RRset, far above 512.
        List<ResourceRecord> answers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Name host = ZONE.child(("host" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            answers.add(a(host, 1));
            answers.add(a(host, 2));
        }
        List<ResourceRecord> additional = List.of(aaaa(ZONE, 1));
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.ANY, RRClass.IN)), answers,
                List.of(), additional, null);
        assertTrue(MessageWriter.toBytes(m).length > 512);

        Message back = written(m, MessageWriter.UDP_LIMIT, true);
        int n = back.answers().size();
        assertTrue(n > 0 && n < answers.size(), "answers kept: " + n);
        assertEquals(0, n % 2, "an RRset was split");
        assertEquals(answers.subList(0, n), back.answers());
        assertTrue(back.additionals().isEmpty());
        assertEquals(m.questions(), back.questions());
    }

    @Test
    void oneHugeRRsetIsLeftOutWhole() throws Exception {
        List<ResourceRecord> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(a(ZONE, i));
        }
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.A, RRClass.IN)), answers,
                List.of(), List.of(), null);
        Message back = written(m, MessageWriter.UDP_LIMIT, true);
        assertTrue(back.answers().isEmpty());
        assertEquals(m.questions(), back.questions());
    }

    @Test
    void additionalIsDroppedBeforeAnswerWithoutTc() throws Exception {
        List<ResourceRecord> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(a(ZONE, i));
        }
        List<ResourceRecord> authorities = new ArrayList<>();
        List<ResourceRecord> additionals = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // 8 NS of 18 octets fit; 8 AAAA glue of 28 octets do not
            Name ns = ZONE.child(("ns" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            authorities.add(new ResourceRecord(ZONE, RRClass.IN, 300, new Rdata.NS(ns)));
            additionals.add(aaaa(ns, 1));
        }
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.A, RRClass.IN)), answers,
                authorities, additionals, Edns.of(512, false));
        assertTrue(MessageWriter.toBytes(m).length > 512);

        Message back = written(m, MessageWriter.UDP_LIMIT, false);
        assertEquals(answers, back.answers());
        assertEquals(authorities, back.authorities());
        int n = back.additionals().size();
        assertTrue(n < additionals.size(), "additional records kept: " + n);
        assertEquals(additionals.subList(0, n), back.additionals());
        // RFC 6891 §7: the OPT record is kept
        assertNotNull(back.edns());
        assertFalse(back.header().tc());
    }

    @Test
    void optIsKeptWhenTruncating() throws Exception {
        List<ResourceRecord> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(a(ZONE.child(new byte[] {(byte) ('a' + i % 26), (byte) ('a' + i / 26)}), 1));
        }
        Edns edns = new Edns(1232, 0, 0, true, List.of(new EdnsOption(10, new byte[16])));
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.A, RRClass.IN)), answers,
                List.of(), List.of(), edns);
        Message back = written(m, MessageWriter.UDP_LIMIT, true);
        assertEquals(edns, back.edns());
        assertTrue(back.answers().size() > 0);
    }

    @Test
    void aMessageThatFitsIsWrittenWhole() throws Exception {
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.A, RRClass.IN)),
                List.of(a(ZONE, 1)), List.of(), List.of(aaaa(ZONE, 1)), Edns.of(1232, false));
        assertEquals(m, written(m, MessageWriter.UDP_LIMIT, false));
        byte[] whole = MessageWriter.toBytes(m);
        assertEquals(m, written(m, whole.length, false)); // exactly at the limit
    }

    @Test
    void questionThatDoesNotFitGivesABareHeaderWithTc() throws Exception {
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.A, RRClass.IN)),
                List.of(a(ZONE, 1)), List.of(), List.of(), null);
        Message back = written(m, 20, true);
        assertTrue(back.questions().isEmpty() && back.answers().isEmpty());
        assertEquals(42, back.header().id());
    }

    @Test
    void compressionTargetsOfDroppedRecordsAreForgotten() throws Exception {
        // The first additional RRset fits only partly and is rolled back; the next name must not
        // point into the octets it had written.
        Name longName = Name.parse("a-rather-long-label-for-the-test.example.com.");
        List<ResourceRecord> additionals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            additionals.add(aaaa(longName, i));
        }
        additionals.add(a(longName, 1));
        Message m = new Message(response(), List.of(new Question(ZONE, RRType.NS, RRClass.IN)),
                List.of(new ResourceRecord(ZONE, RRClass.IN, 300, new Rdata.NS(longName))), List.of(),
                additionals, null);
        Message back = written(m, MessageWriter.UDP_LIMIT, false);
        assertEquals(m.answers(), back.answers());
        assertTrue(back.additionals().isEmpty(), "the AAAA RRset does not fit, so nothing after it");
    }
}
