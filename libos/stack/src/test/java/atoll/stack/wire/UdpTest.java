package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UdpTest {
    static final int H1 = 0xc0000201;
    static final int H2 = 0xc0000202;

    @Test
    void linuxDatagram() throws MalformedPacketException {
        byte[] f = Capture.frame(4);
        MemorySegment s = MemorySegment.ofArray(f);
        UdpHeader h = new UdpHeader();
        // The kernel offloaded the checksum on veth: the captured field is partial.
        assertEquals(Verdict.BAD_CHECKSUM, h.check(s, 34, f.length - 34, H1, H2));
        f[40] = (byte) 0x85;
        f[41] = (byte) 0xd0;
        assertEquals(Verdict.OK, h.check(s, 34, f.length - 34, H1, H2));
        assertEquals(42037, h.srcPort());
        assertEquals(5353, h.dstPort());
        assertEquals("atoll", new String(LinkLayerTest.slice(f, 42), java.nio.charset.StandardCharsets.US_ASCII));
        byte[] copy = f.clone();
        new UdpRepr(42037, 5353).emit(MemorySegment.ofArray(copy), 34, 5, H1, H2);
        assertEquals(Hex.of(f), Hex.of(copy));
    }

    @Test
    void zeroChecksumMeansNoneAndComputedZeroIsSentAsOnes() {
        byte[] f = Capture.frame(4);
        f[40] = 0;
        f[41] = 0;
        assertEquals(Verdict.OK, new UdpHeader().check(MemorySegment.ofArray(f), 34, f.length - 34, H1, H2));
        // Find the source port whose datagram sums to zero: it must go out as ffff and verify.
        byte[] b = new byte[8];
        MemorySegment s = MemorySegment.ofArray(b);
        int found = 0;
        for (int port = 0; port < 0x10000; port++) {
            UdpRepr.emit(s, 0, port, 53, 0, H1, H2);
            if (BigEndian.u16(s, UdpHeader.CHECKSUM) == 0xffff) {
                found++;
                assertEquals(Verdict.OK, new UdpHeader().check(s, 0, 8, H1, H2));
            }
            assertNotEquals(0, BigEndian.u16(s, UdpHeader.CHECKSUM));
        }
        assertNotEquals(0, found);
    }

    @Test
    void lengthFieldIsChecked() {
        byte[] f = LinkLayerTest.slice(Capture.frame(4), 34);
        f[6] = 0;
        f[7] = 0;
        MemorySegment s = MemorySegment.ofArray(f);
        f[5] = 7;
        assertEquals(Verdict.BAD_LENGTH, new UdpHeader().check(s, 0, f.length, H1, H2));
        f[5] = 14;
        assertEquals(Verdict.TRUNCATED, new UdpHeader().check(s, 0, f.length, H1, H2));
        f[5] = 9; // shorter than the IP payload: the datagram is its first 9 bytes
        UdpHeader h = new UdpHeader();
        assertEquals(Verdict.OK, h.check(s, 0, f.length, H1, H2));
        assertEquals(1, h.payloadLength());
        for (int cut = 0; cut < 9; cut++) {
            assertNotEquals(Verdict.OK, new UdpHeader().check(s, 0, cut, H1, H2), "cut " + cut);
        }
    }

    @Test
    void roundTripsAndTruncationsOfRandomDatagrams() throws MalformedPacketException {
        Random r = new Random(768);
        try (BufferPool pool = new BufferPool(2048, 64, 1)) {
            for (int n = 0; n < 1000; n++) {
                UdpRepr x = new UdpRepr(r.nextInt(0x10000), r.nextInt(0x10000));
                byte[] payload = new byte[r.nextInt(200)];
                r.nextBytes(payload);
                int src = r.nextInt();
                int dst = r.nextInt();
                PooledBuffer b = pool.acquire();
                b.put(payload, 0, payload.length);
                x.prependTo(b, src, dst);
                assertEquals(x, UdpRepr.parse(b.memory(), b.start(), b.length(), src, dst));
                for (int cut = 0; cut < b.length(); cut++) {
                    assertNotEquals(Verdict.OK, new UdpHeader().check(b.memory(), b.start(), cut, src, dst));
                }
                b.release();
            }
            pool.assertNoLeaks();
        }
    }
}
