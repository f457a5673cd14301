package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ethernet II and ARP: golden frames from the Linux kernel, round trips, truncations. */
class LinkLayerTest {
    static final MacAddress A = MacAddress.parse("8a:6b:b3:2e:36:de");
    static final MacAddress B = MacAddress.parse("2e:d4:b1:14:92:04");

    @Test
    void linuxArpRequestAndReply() throws MalformedPacketException {
        byte[] request = Capture.frame(0);
        MemorySegment s = MemorySegment.ofArray(request);
        assertEquals(new EthernetRepr(MacAddress.BROADCAST, A, EthernetFrame.TYPE_ARP), EthernetRepr.parse(s, 0, request.length));
        ArpRepr arp = ArpRepr.parse(s, 14, request.length - 14);
        assertEquals(new ArpRepr(ArpPacket.REQUEST, A, Ipv4Address.parse("192.0.2.1"), MacAddress.ZERO,
                Ipv4Address.parse("192.0.2.2")), arp);

        byte[] reply = Capture.frame(1);
        s = MemorySegment.ofArray(reply);
        assertEquals(new EthernetRepr(A, B, EthernetFrame.TYPE_ARP), EthernetRepr.parse(s, 0, reply.length));
        ArpRepr answer = ArpRepr.parse(s, 14, reply.length - 14);
        assertEquals(new ArpRepr(ArpPacket.REPLY, B, Ipv4Address.parse("192.0.2.2"), A,
                Ipv4Address.parse("192.0.2.1")), answer);

        // Building the same frames gives the kernel's bytes.
        byte[] built = new byte[42];
        MemorySegment out = MemorySegment.ofArray(built);
        new EthernetRepr(A, B, EthernetFrame.TYPE_ARP).emit(out, 0);
        answer.emit(out, 14);
        assertArrayEquals(reply, built);
    }

    @Test
    void buildsIntoPooledBuffer() throws MalformedPacketException {
        try (BufferPool pool = new BufferPool(256, 64, 2)) {
            PooledBuffer b = pool.acquire();
            ArpRepr r = new ArpRepr(ArpPacket.REQUEST, A, Ipv4Address.parse("192.0.2.1"), MacAddress.ZERO,
                    Ipv4Address.parse("192.0.2.2"));
            r.appendTo(b);
            new EthernetRepr(MacAddress.BROADCAST, A, EthernetFrame.TYPE_ARP).prependTo(b);
            assertArrayEquals(Capture.frame(0), b.toByteArray());
            assertEquals(b.start(), b.headerOffset(atoll.libos.buffer.HeaderLayer.LINK));
            assertEquals(14, b.headerLength(atoll.libos.buffer.HeaderLayer.LINK));
            EthernetFrame f = new EthernetFrame();
            assertEquals(Verdict.OK, f.check(b));
            assertEquals(EthernetFrame.TYPE_ARP, f.etherType());
            b.release();
            pool.assertNoLeaks();
        }
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] frame = Capture.frame(1);
        MemorySegment s = MemorySegment.ofArray(frame);
        for (int cut = 0; cut < 14; cut++) {
            assertEquals(Verdict.TRUNCATED, new EthernetFrame().check(s, 0, cut));
        }
        for (int cut = 0; cut < 28; cut++) {
            assertEquals(Verdict.TRUNCATED, new ArpPacket().check(s, 14, cut));
        }
        assertEquals(Verdict.OK, new ArpPacket().check(s, 14, 28));
    }

    @Test
    void arpForOtherHardwareOrProtocolsOrOperationsIsRefused() {
        for (int[] patch : new int[][] {{14, 6}, {16, 0x86}, {18, 8}, {19, 16}, {21, 3}}) {
            byte[] f = Capture.frame(0);
            f[patch[0]] = (byte) patch[1];
            Verdict v = new ArpPacket().check(MemorySegment.ofArray(f), 14, 28);
            assertNotEquals(Verdict.OK, v, "byte " + patch[0]);
        }
    }

    @Test
    void roundTripsRandomArpAndEthernet() throws MalformedPacketException {
        Random r = new Random(826);
        for (int n = 0; n < 1000; n++) {
            EthernetRepr e = new EthernetRepr(new MacAddress(r.nextLong() >>> 16), new MacAddress(r.nextLong() >>> 16),
                    r.nextInt(0x10000));
            ArpRepr a = new ArpRepr(1 + r.nextInt(2), new MacAddress(r.nextLong() >>> 16), new Ipv4Address(r.nextInt()),
                    new MacAddress(r.nextLong() >>> 16), new Ipv4Address(r.nextInt()));
            MemorySegment s = MemorySegment.ofArray(new byte[42]);
            e.emit(s, 0);
            a.emit(s, 14);
            assertEquals(e, EthernetRepr.parse(s, 0, 42));
            assertEquals(a, ArpRepr.parse(s, 14, 28));
        }
    }

    @Test
    void addressText() {
        assertEquals("8a:6b:b3:2e:36:de", A.toString());
        assertEquals(A, MacAddress.parse("8A-6B-B3-2E-36-DE"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("8a:6b:b3:2e:36"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("8a:6b:b3:2e:36:zz"));
        assertEquals("192.0.2.1", Ipv4Address.parse("192.0.2.1").toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("192.0.2.256"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("192.0.2"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("192.0.+2.1"));
        Ipv4Address a = Ipv4Address.parse("203.0.113.9");
        assertEquals(a, Ipv4Address.of(a.toInetAddress()));
        assertEquals(true, MacAddress.BROADCAST.isMulticast());
        assertEquals(false, A.isMulticast());
        assertEquals(true, Ipv4Address.parse("224.0.0.1").isMulticast());
    }

    static byte[] slice(byte[] b, int from) {
        return MemorySegment.ofArray(b).asSlice(from).toArray(ValueLayout.JAVA_BYTE);
    }
}
