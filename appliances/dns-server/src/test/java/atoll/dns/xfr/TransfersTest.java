package atoll.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.Transport;
import atoll.dns.tsig.TsigKey;
import atoll.dns.wire.Rcode;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import atoll.libos.metrics.SimpleMetrics;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * The transfer engine with dnsjava as the peer: dnsjava signs the requests and checks every
 * answer, single messages and multi-message AXFR streams (RFC 8945 §5.3.1), and the ACL, the
 * transports and the NOTIFY path answer as the RFCs say.
 */
class TransfersTest {
    static final String SECRET = "c2VjcmV0LWZvci10ZXN0cy0wMTIzNDU2Nzg5YWJjZGVm";
    static final long NOW = 1_800_000_000L;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetAddress OTHER = address("192.0.2.7");

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Zone bigZone(int hosts, long serial) throws Exception {
        StringBuilder z = new StringBuilder("$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster " + serial
                + " 7200 3600 1209600 300\n  NS ns1\nns1 A 192.0.2.53\nsub NS ns.sub\nns.sub A 192.0.2.54\n");
        for (int i = 0; i < hosts; i++) {
            z.append("host").append(i).append(" A 192.0.2.").append(i % 250 + 1).append('\n');
            z.append("host").append(i).append(" TXT \"record ").append(i).append(" of the zone\"\n");
        }
        return ZoneFileParser.parse(z.toString(), "big.zone", atoll.dns.wire.Name.parse("example.com."));
    }

    final TsigKey key = TsigKey.parse("hmac-sha256:xfr-key:" + SECRET);
    final AtomicReference<String> notified = new AtomicReference<>();

    Transfers transfers(Zone zone, List<AclRule> acl) {
        return new Transfers(Map.of(key.name(), key), acl, () -> ZoneSet.of(zone), (q, t, limit) -> {
            Message m = parse(q);
            Message r = new Message(m.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.addRecord(m.getQuestion(), Section.QUESTION);
            return r.toWire();
        }, (origin, from, k) -> {
            notified.set(origin + " from " + from.getHostAddress() + " key " + k);
            return Rcode.NOERROR;
        }, new SimpleMetrics(), 4096);
    }

    static TSIG dnsjava() {
        return new TSIG(TSIG.HMAC_SHA256, Name.fromConstantString("xfr-key."),
                new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA256"),
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Message query(int type, TSIG tsig) {
        Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("example.com."), type, DClass.IN));
        if (tsig != null) {
            q.setTSIG(tsig);
        }
        return q;
    }

    static List<byte[]> messages(Transfers.Reply reply) {
        List<byte[]> out = new ArrayList<>();
        switch (reply) {
            case Transfers.Stream s -> {
                try (var m = s.messages()) {
                    while (m.hasNext()) {
                        out.add(m.next(NOW + out.size()));
                    }
                }
            }
            case Transfers.Single s -> out.add(s.message());
            case Transfers.None n -> { }
        }
        return out;
    }

    @Test
    void signedAxfrOfALargeZoneIsSeveralMessagesEachSignedSoaFirstAndLast() throws Exception {
        Zone zone = bigZone(600, 2026112901);
        Transfers t = transfers(zone, List.of(AclRule.parse("example.com.=127.0.0.0/8+key:xfr-key")));
        TSIG tsig = dnsjava();
        Message q = query(Type.AXFR, tsig);
        byte[] wire = q.toWire(65535);
        Message sent = parse(wire);
        Transfers.Reply reply = t.respond(wire, Transport.TCP, LOOPBACK, NOW);
        List<byte[]> msgs = messages(assertInstanceOf(Transfers.Stream.class, reply));
        assertTrue(msgs.size() > 5, "messages: " + msgs.size());
        TSIG.StreamVerifier verifier = new TSIG.StreamVerifier(tsig, sent.getTSIG());
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            Message m = parse(msgs.get(i));
            assertEquals(0, verifier.verify(m, msgs.get(i), i == msgs.size() - 1), verifier.getErrorMessage());
            assertNotNull(m.getTSIG(), "message " + i + " is signed");
            assertEquals(q.getHeader().getID(), m.getHeader().getID());
            assertTrue(m.getHeader().getFlag(Flags.AA));
            assertTrue(msgs.get(i).length <= 4096 + 200);
            records.addAll(m.getSection(Section.ANSWER));
        }
        // RFC 5936 §2.2: SOA first and last, every record of the zone once in between.
        assertInstanceOf(SOARecord.class, records.getFirst());
        assertInstanceOf(SOARecord.class, records.getLast());
        assertEquals(2026112901L, ((SOARecord) records.getLast()).getSerial());
        assertEquals(zone.recordCount() + 1, records.size());
        assertEquals(records.size(), records.stream().distinct().count() + 1);
    }

    @Test
    void aclDecidesAndUnsignedOrOtherAddressesAreRefused() throws Exception {
        Zone zone = bigZone(3, 1);
        Transfers t = transfers(zone, List.of(AclRule.parse("example.com.=127.0.0.0/8+key:xfr-key"),
                AclRule.parse("example.com.=198.51.100.0/24")));
        // Unsigned from loopback: the rule wants the key.
        Message r = parse(messages(t.respond(query(Type.AXFR, null).toWire(), Transport.TCP, LOOPBACK, NOW)).getFirst());
        assertEquals(org.xbill.DNS.Rcode.REFUSED, r.getRcode());
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
        // Signed, from an address outside every rule: REFUSED, and the refusal is signed.
        TSIG tsig = dnsjava();
        Message q = query(Type.AXFR, tsig);
        byte[] wire = q.toWire(65535);
        byte[] refusal = messages(t.respond(wire, Transport.TCP, OTHER, NOW)).getFirst();
        Message refused = parse(refusal);
        assertEquals(org.xbill.DNS.Rcode.REFUSED, refused.getRcode());
        assertEquals(0, tsig.verify(refused, refusal, parse(wire).getTSIG()));
        // Unsigned from the /24 of the second rule: allowed.
        assertInstanceOf(Transfers.Stream.class, t.respond(query(Type.AXFR, null).toWire(), Transport.TCP,
                address("198.51.100.9"), NOW));
        // A zone not served here: NOTAUTH.
        Message other = Message.newQuery(Record.newRecord(Name.fromConstantString("example.org."), Type.AXFR, DClass.IN));
        assertEquals(org.xbill.DNS.Rcode.NOTAUTH,
                parse(messages(t.respond(other.toWire(), Transport.TCP, LOOPBACK, NOW)).getFirst()).getRcode());
    }

    @Test
    void transfersInFlightAreBoundedAndASlotFreesWhenOneEnds() throws Exception {
        Zone zone = bigZone(3, 1);
        Transfers t = transfers(zone, List.of(AclRule.parse("example.com.=127.0.0.1")));
        List<Transfers.Messages> open = new ArrayList<>();
        for (int i = 0; i < Transfers.MAX_TRANSFERS_OUT; i++) {
            open.add(assertInstanceOf(Transfers.Stream.class,
                    t.respond(query(Type.AXFR, null).toWire(), Transport.TCP, LOOPBACK, NOW)).messages());
        }
        Message busy = parse(messages(t.respond(query(Type.AXFR, null).toWire(), Transport.TCP, LOOPBACK, NOW)).getFirst());
        assertEquals(org.xbill.DNS.Rcode.REFUSED, busy.getRcode());
        open.getFirst().close();
        open.getFirst().close(); // twice frees one slot, not two
        open.add(assertInstanceOf(Transfers.Stream.class,
                t.respond(query(Type.AXFR, null).toWire(), Transport.TCP, LOOPBACK, NOW)).messages());
        assertEquals(org.xbill.DNS.Rcode.REFUSED,
                parse(messages(t.respond(query(Type.AXFR, null).toWire(), Transport.TCP, LOOPBACK, NOW)).getFirst()).getRcode());
    }

    @Test
    void udpAxfrIsNotImpAndUdpIxfrIsTheSoa() throws Exception {
        Zone zone = bigZone(3, 7);
        Transfers t = transfers(zone, List.of(AclRule.parse("example.com.=127.0.0.1")));
        Message axfr = parse(messages(t.respond(query(Type.AXFR, null).toWire(), Transport.UDP, LOOPBACK, NOW)).getFirst());
        assertEquals(org.xbill.DNS.Rcode.NOTIMP, axfr.getRcode());
        Message ixfr = parse(messages(t.respond(query(Type.IXFR, null).toWire(), Transport.UDP, LOOPBACK, NOW)).getFirst());
        assertEquals(1, ixfr.getSection(Section.ANSWER).size());
        assertEquals(7L, ((SOARecord) ixfr.getSection(Section.ANSWER).getFirst()).getSerial());
        // IXFR over TCP from an older serial: the whole zone, AXFR style (RFC 1995 §4).
        Message ixfrQuery = query(Type.IXFR, null);
        ixfrQuery.addRecord(new SOARecord(Name.fromConstantString("example.com."), DClass.IN, 0,
                Name.fromConstantString("ns1.example.com."), Name.fromConstantString("h.example.com."), 3, 0, 0, 0, 0),
                Section.AUTHORITY);
        List<byte[]> full = messages(t.respond(ixfrQuery.toWire(), Transport.TCP, LOOPBACK, NOW));
        int total = full.stream().mapToInt(m -> parse(m).getSection(Section.ANSWER).size()).sum();
        assertEquals(zone.recordCount() + 1, total);
    }

    @Test
    void tsigErrorsAreNotAuthWithTheRightTsigError() throws Exception {
        Zone zone = bigZone(3, 7);
        Transfers t = transfers(zone, List.of(AclRule.parse("example.com.=key:xfr-key")));
        // BADKEY: signed with a key this server does not know; the answer is unsigned (MAC size 0).
        TSIG unknown = new TSIG(TSIG.HMAC_SHA256, Name.fromConstantString("other-key."),
                new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA256"),
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        Message badKey = parse(messages(t.respond(query(Type.AXFR, unknown).toWire(65535), Transport.TCP, LOOPBACK, NOW))
                .getFirst());
        assertEquals(org.xbill.DNS.Rcode.NOTAUTH, badKey.getRcode());
        assertEquals(org.xbill.DNS.Rcode.BADKEY, badKey.getTSIG().getError());
        assertEquals(0, badKey.getTSIG().getSignature().length);
        // BADTIME: 10 minutes off; the answer is signed and carries our time.
        byte[] wire = query(Type.AXFR, dnsjava()).toWire(65535);
        byte[] late = messages(t.respond(wire, Transport.TCP, LOOPBACK, NOW + 600)).getFirst();
        Message badTime = parse(late);
        assertEquals(org.xbill.DNS.Rcode.BADTIME, badTime.getTSIG().getError());
        assertTrue(badTime.getTSIG().getSignature().length == 32);
        // BADSIG: one octet of the signed query changed.
        byte[] tampered = wire.clone();
        tampered[3] ^= 0x10;
        Message badSig = parse(messages(t.respond(tampered, Transport.TCP, LOOPBACK, NOW)).getFirst());
        assertEquals(org.xbill.DNS.Rcode.BADSIG, badSig.getTSIG().getError());
    }

    @Test
    void signedQueriesAreAnsweredAndSignedAndNotifyReachesTheHandler() throws Exception {
        Zone zone = bigZone(3, 7);
        Transfers t = transfers(zone, List.of());
        TSIG tsig = dnsjava();
        Message q = query(Type.SOA, tsig);
        byte[] wire = q.toWire(65535);
        byte[] answer = messages(t.respond(wire, Transport.UDP, LOOPBACK, NOW)).getFirst();
        assertEquals(0, tsig.verify(parse(answer), answer, parse(wire).getTSIG()));

        Message notify = Message.newQuery(Record.newRecord(Name.fromConstantString("example.com."), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);
        notify.getHeader().setFlag(Flags.AA);
        notify.setTSIG(tsig);
        byte[] nwire = notify.toWire(65535);
        byte[] nreply = messages(t.respond(nwire, Transport.UDP, LOOPBACK, NOW)).getFirst();
        Message ack = parse(nreply);
        assertEquals(org.xbill.DNS.Opcode.NOTIFY, ack.getHeader().getOpcode());
        assertEquals(org.xbill.DNS.Rcode.NOERROR, ack.getRcode());
        assertEquals(0, tsig.verify(ack, nreply, parse(nwire).getTSIG()));
        assertEquals("example.com. from 127.0.0.1 key xfr-key.", notified.get());
    }

    @Test
    void snapshotRoundTripsAndTheReaderRefusesBrokenTransfers() throws Exception {
        Zone zone = bigZone(400, 42);
        byte[] saved = ZoneSnapshot.encode(zone, 123_456L);
        ZoneSnapshot.Saved back = ZoneSnapshot.decode(zone.origin(), saved, "test");
        assertEquals(123_456L, back.refreshedMillis());
        assertEquals(AxfrWriter.records(zone), AxfrWriter.records(back.zone()));
        // Cut short: refused, never half a zone.
        byte[] cut = java.util.Arrays.copyOf(saved, saved.length - 40);
        assertNull(decodeOrNull(zone, cut));
        byte[] flipped = saved.clone();
        flipped[30] ^= (byte) 0xff;
        assertNull(decodeOrNull(zone, flipped));
    }

    static ZoneSnapshot.Saved decodeOrNull(Zone zone, byte[] octets) {
        try {
            return ZoneSnapshot.decode(zone.origin(), octets, "test");
        } catch (TransferReader.TransferException expected) {
            return null;
        }
    }

    @Test
    void serialArithmeticIsRfc1982() {
        assertTrue(Serial.lessThan(1, 2));
        assertTrue(Serial.lessThan(0xffffffffL, 0));
        assertTrue(Serial.newer(5, 0xfffffff0L));
        assertTrue(!Serial.lessThan(0, 0x80000000L) && !Serial.lessThan(0x80000000L, 0));
        assertTrue(!Serial.lessThan(7, 7));
    }
}
