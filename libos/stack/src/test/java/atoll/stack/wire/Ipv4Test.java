package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4Test {
    static final Ipv4Address H1 = Ipv4Address.parse("192.0.2.1");
    static final Ipv4Address H2 = Ipv4Address.parse("192.0.2.2");

    @Test
    void linuxEchoRequestHeader() throws MalformedPacketException {
        byte[] f = Capture.frame(2);
        MemorySegment s = MemorySegment.ofArray(f);
        Ipv4Repr r = Ipv4Repr.parse(s, 14, f.length - 14);
        assertEquals(new Ipv4Repr(0, 0xfde5, true, false, 0, 64, IpProtocol.ICMP, H1, H2, 24), r);
        byte[] built = new byte[20];
        r.emit(MemorySegment.ofArray(built), 0);
        assertArrayEquals(LinkLayerTest.slice(f, 14), concat(built, LinkLayerTest.slice(f, 34)));
    }

    @Test
    void linuxFragments() {
        Ipv4Header h = new Ipv4Header();
        byte[] first = Capture.frame(6);
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(first), 14, first.length - 14));
        assertTrue(h.moreFragments() && h.isFragment());
        assertFalse(h.dontFragment());
        assertEquals(0, h.fragmentOffset());
        assertEquals(1480, h.payloadLength());
        byte[] second = Capture.frame(7);
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(second), 14, second.length - 14));
        assertFalse(h.moreFragments());
        assertTrue(h.isFragment());
        assertEquals(1480, h.fragmentOffset()); // 0xb9 × 8
        assertEquals(128, h.payloadLength());
        assertEquals(0xfdfd, h.identification());
    }

    @Test
    void paddingBeyondTotalLengthIsIgnored() {
        byte[] f = concat(Capture.frame(2), new byte[10]);
        Ipv4Header h = new Ipv4Header();
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(f), 14, f.length - 14));
        assertEquals(44, h.totalLength());
    }

    @Test
    void optionsAreSkipped() throws MalformedPacketException {
        // A header with one NOP option word (IHL 6) before 4 data bytes.
        byte[] b = Hex.bytes("4600001c 00010000 4011 0000 c0000201 c0000202 01010100 0a0b0c0d");
        fixChecksum(b, 24);
        Ipv4Header h = new Ipv4Header();
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(b), 0, b.length));
        assertEquals(24, h.headerLength());
        assertEquals(4, h.payloadLength());
        assertEquals(4, Ipv4Repr.parse(MemorySegment.ofArray(b), 0, b.length).payloadLength());
    }

    @Test
    void malformedHeadersAreRefused() {
        byte[] ok = LinkLayerTest.slice(Capture.frame(2), 14);
        assertEquals(Verdict.BAD_VERSION, check(patch(ok, 0, 0x65)));
        assertEquals(Verdict.BAD_HEADER_LENGTH, check(patch(ok, 0, 0x44)));
        assertEquals(Verdict.TRUNCATED, check(patch(ok, 0, 0x4f))); // 60-byte header in 44 bytes
        assertEquals(Verdict.BAD_LENGTH, check(patch(ok, 3, 19)));
        assertEquals(Verdict.TRUNCATED, check(patch(ok, 3, 45)));
        assertEquals(Verdict.BAD_CHECKSUM, check(patch(ok, 8, 63)));
        for (int cut = 0; cut < ok.length; cut++) {
            assertNotEquals(Verdict.OK, new Ipv4Header().check(MemorySegment.ofArray(ok), 0, cut), "cut " + cut);
        }
    }

    @Test
    void roundTripsRandomHeaders() throws MalformedPacketException {
        Random r = new Random(791);
        for (int n = 0; n < 2000; n++) {
            int payload = r.nextInt(100);
            Ipv4Repr x = new Ipv4Repr(r.nextInt(256), r.nextInt(0x10000), r.nextBoolean(), r.nextBoolean(),
                    8 * r.nextInt(0x2000), r.nextInt(256), r.nextInt(256), new Ipv4Address(r.nextInt()),
                    new Ipv4Address(r.nextInt()), payload);
            MemorySegment s = MemorySegment.ofArray(new byte[20 + payload]);
            x.emit(s, 0);
            assertEquals(x, Ipv4Repr.parse(s, 0, 20 + payload));
        }
    }

    static Verdict check(byte[] b) {
        return new Ipv4Header().check(MemorySegment.ofArray(b), 0, b.length);
    }

    /** A copy with one byte changed and the header checksum recomputed (unless the byte is in it). */
    static byte[] patch(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        if (at != 10 && at != 11 && at != 8) {
            int hl = Math.max(20, Math.min((c[0] & 0xf) * 4, c.length));
            fixChecksum(c, hl);
        }
        return c;
    }

    static void fixChecksum(byte[] b, int headerLength) {
        b[10] = 0;
        b[11] = 0;
        int c = InternetChecksum.of(MemorySegment.ofArray(b), 0, headerLength);
        b[10] = (byte) (c >>> 8);
        b[11] = (byte) c;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }
}
