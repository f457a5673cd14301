package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Icmpv4Test {

    @Test
    void linuxEchoRequestAndReply() throws MalformedPacketException {
        byte[] req = Capture.frame(2);
        MemorySegment s = MemorySegment.ofArray(req);
        assertEquals(new Icmpv4Repr.EchoRequest(11820, 1), Icmpv4Repr.parse(s, 34, req.length - 34));
        byte[] rep = Capture.frame(3);
        assertEquals(new Icmpv4Repr.EchoReply(11820, 1), Icmpv4Repr.parse(MemorySegment.ofArray(rep), 34, rep.length - 34));
        // Turning the request into a reply in place gives the kernel's reply message.
        new Icmpv4Repr.EchoReply(11820, 1).emit(s, 34, req.length - 42);
        assertArrayEquals(LinkLayerTest.slice(rep, 34), LinkLayerTest.slice(req, 34));
    }

    @Test
    void linuxPortUnreachableQuotesTheDatagram() throws MalformedPacketException {
        byte[] f = Capture.frame(5);
        MemorySegment s = MemorySegment.ofArray(f);
        Icmpv4Message m = new Icmpv4Message();
        assertEquals(Verdict.OK, m.check(s, 34, f.length - 34));
        assertEquals(new Icmpv4Repr.DestinationUnreachable(Icmpv4Message.PORT_UNREACHABLE, 0), Icmpv4Repr.of(m));
        Ipv4Repr quoted = Ipv4Repr.parse(s, m.payloadOffset(), m.payloadLength());
        assertEquals(IpProtocol.UDP, quoted.protocol());
        assertEquals(Ipv4Address.parse("192.0.2.1"), quoted.source());
        assertEquals(0x14e9, BigEndian.u16(s, m.payloadOffset() + 20 + UdpHeader.DST_PORT));
        // Rebuilt from the record over the same quoted data: the same bytes.
        byte[] copy = f.clone();
        Icmpv4Repr.of(m).emit(MemorySegment.ofArray(copy), 34, m.payloadLength());
        assertArrayEquals(f, copy);
    }

    @Test
    void fragmentationNeededCarriesNextHopMtu() throws MalformedPacketException {
        byte[] b = new byte[8 + 28];
        MemorySegment s = MemorySegment.ofArray(b);
        new Icmpv4Repr.DestinationUnreachable(Icmpv4Message.FRAGMENTATION_NEEDED, 1400).emit(s, 0, 28);
        Icmpv4Message m = new Icmpv4Message();
        assertEquals(Verdict.OK, m.check(s, 0, b.length));
        assertEquals(1400, m.nextHopMtu());
        assertEquals(new Icmpv4Repr.DestinationUnreachable(4, 1400), Icmpv4Repr.parse(s, 0, b.length));
    }

    @Test
    void truncationsAndCorruptionAreRefused() {
        byte[] f = LinkLayerTest.slice(Capture.frame(3), 34);
        MemorySegment s = MemorySegment.ofArray(f);
        // ICMP has no length field of its own: IPv4's Total Length delimits the message (and a cut
        // of trailing zero pairs would still sum right), so only the fixed header can be short.
        for (int cut = 0; cut < Icmpv4Message.HEADER_LENGTH; cut++) {
            assertEquals(Verdict.TRUNCATED, new Icmpv4Message().check(s, 0, cut), "cut " + cut);
        }
        assertNotEquals(Verdict.OK, new Icmpv4Message().check(s, 0, f.length - 11));
        f[12] ^= 0x10;
        assertEquals(Verdict.BAD_CHECKSUM, new Icmpv4Message().check(s, 0, f.length));
    }

    @Test
    void roundTripsRandomMessages() throws MalformedPacketException {
        Random r = new Random(792);
        for (int n = 0; n < 2000; n++) {
            Icmpv4Repr x = switch (r.nextInt(5)) {
                case 0 -> new Icmpv4Repr.EchoRequest(r.nextInt(0x10000), r.nextInt(0x10000));
                case 1 -> new Icmpv4Repr.EchoReply(r.nextInt(0x10000), r.nextInt(0x10000));
                case 2 -> new Icmpv4Repr.DestinationUnreachable(r.nextInt(16), r.nextInt(0x10000));
                case 3 -> new Icmpv4Repr.TimeExceeded(r.nextInt(2));
                default -> new Icmpv4Repr.Other(13 + r.nextInt(200), r.nextInt(256), r.nextInt());
            };
            byte[] b = new byte[8 + r.nextInt(40)];
            r.nextBytes(b);
            MemorySegment s = MemorySegment.ofArray(b);
            x.emit(s, 0, b.length - 8);
            assertEquals(x, Icmpv4Repr.parse(s, 0, b.length));
        }
    }
}
