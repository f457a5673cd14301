package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    /** A plain reference: 16-bit words one by one, odd byte padded, end-around carry. */
    static int reference(byte[] b, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i += 2) {
            int hi = b[i] & 0xff;
            int lo = i + 1 < to ? b[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 §3 "Numerical Example": bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
        byte[] b = Hex.bytes("0001f203f4f5f6f7");
        assertEquals(0x220d, InternetChecksum.of(MemorySegment.ofArray(b), 0, b.length));
    }

    @Test
    void capturedIpv4HeaderVerifies() {
        // An IPv4 header the Linux kernel sent on loopback (tcpdump -xx): its checksum is 0x4399.
        byte[] h = Hex.bytes("4500003cf9204000400643997f0000017f000001");
        assertEquals(0, InternetChecksum.of(MemorySegment.ofArray(h), 0, h.length));
        h[10] = 0;
        h[11] = 0;
        assertEquals(0x4399, InternetChecksum.of(MemorySegment.ofArray(h), 0, h.length));
    }

    @Test
    void matchesReferenceOnRandomDataOfEveryLengthAndOffset() {
        Random r = new Random(1071);
        for (int n = 0; n < 300; n++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            if (n % 7 == 0) {
                java.util.Arrays.fill(b, (byte) 0xff); // carries everywhere
            }
            int from = b.length == 0 ? 0 : r.nextInt(b.length);
            assertEquals(reference(b, from, b.length),
                    InternetChecksum.of(MemorySegment.ofArray(b), from, b.length - from), "len " + b.length);
        }
    }

    @Test
    void incrementalOverEvenSplitsEqualsWhole() {
        Random r = new Random(2);
        byte[] b = new byte[1501];
        r.nextBytes(b);
        MemorySegment s = MemorySegment.ofArray(b);
        int whole = InternetChecksum.of(s, 0, b.length);
        for (int split = 0; split <= b.length; split += 2) {
            long sum = InternetChecksum.add(0, s, 0, split);
            sum = InternetChecksum.add(sum, s, split, b.length - split);
            assertEquals(whole, InternetChecksum.finish(sum), "split " + split);
        }
    }

    @Test
    void pseudoHeaderIsTheTwelveOctetsSummed() {
        byte[] ph = Hex.bytes("c0000201 c6336402 00 11 05dc");
        long sum = InternetChecksum.pseudoHeader(0xc0000201, 0xc6336402, IpProtocol.UDP, 0x05dc);
        assertEquals(reference(ph, 0, ph.length), InternetChecksum.finish(sum));
    }

    @Test
    void rfc1624UpdateEqualsRecomputation() {
        Random r = new Random(1624);
        for (int n = 0; n < 1000; n++) {
            byte[] b = new byte[20];
            r.nextBytes(b);
            int at = 2 * r.nextInt(10);
            int before = InternetChecksum.of(MemorySegment.ofArray(b), 0, b.length);
            int oldWord = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
            int newWord = n % 5 == 0 ? 0 : r.nextInt(0x10000);
            b[at] = (byte) (newWord >>> 8);
            b[at + 1] = (byte) newWord;
            int after = InternetChecksum.of(MemorySegment.ofArray(b), 0, b.length);
            int updated = InternetChecksum.update(before, oldWord, newWord);
            // RFC 1624 §3: the equation may yield 0xffff where a recomputation yields 0 (the two
            // zeros of one's complement); both verify. Compare as one's complement values.
            assertEquals(after % 0xffff, updated % 0xffff, "word " + at);
        }
    }
}
