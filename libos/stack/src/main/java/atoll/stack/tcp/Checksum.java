package atoll.stack.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over the TCP pseudo-header (RFC 9293 §3.1) and segment.
 * Temporary home until atoll.stack.wire's InternetChecksum is merged; then this class goes.
 * Sums 64-bit big-endian words with end-around carry: the one's complement sum is independent of
 * the word size it is computed in (RFC 1071 §2(B)).
 */
final class Checksum {
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** RFC 9293 §3.1: the pseudo-header's protocol number for TCP. */
    private static final int PROTOCOL_TCP = 6;

    private Checksum() {}

    /** One's complement sum (not yet complemented, folded to 16 bits) of {@code len} bytes. */
    static int sum(MemorySegment m, long offset, int len, long initial) {
        long s = initial;
        long i = offset;
        long end = offset + len;
        while (end - i >= 8) {
            long v = m.get(BE_LONG, i);
            s += v;
            if (Long.compareUnsigned(s, v) < 0) {
                s++;
            }
            i += 8;
        }
        long tail = 0;
        int shift = 56;
        while (i < end) {
            tail |= (m.get(ValueLayout.JAVA_BYTE, i) & 0xFFL) << shift;
            shift -= 8;
            i++;
        }
        s += tail;
        if (Long.compareUnsigned(s, tail) < 0) {
            s++;
        }
        return fold(s);
    }

    static int fold(long s) {
        s = (s >>> 32) + (s & 0xFFFFFFFFL);
        s = (s >>> 32) + (s & 0xFFFFFFFFL);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        return (int) s;
    }

    /** Pseudo-header sum for IPv4 source, destination and TCP length. */
    static long pseudoHeader(int srcAddr, int dstAddr, int tcpLength) {
        return (srcAddr & 0xFFFFFFFFL) + (dstAddr & 0xFFFFFFFFL) + PROTOCOL_TCP + tcpLength;
    }

    /** The checksum field value for a segment whose checksum field currently holds zero. */
    static int compute(MemorySegment m, long offset, int len, int srcAddr, int dstAddr) {
        return ~sum(m, offset, len, pseudoHeader(srcAddr, dstAddr, len)) & 0xFFFF;
    }

    /** True if the segment, checksum field included, sums to all ones. */
    static boolean verify(MemorySegment m, long offset, int len, int srcAddr, int dstAddr) {
        return sum(m, offset, len, pseudoHeader(srcAddr, dstAddr, len)) == 0xFFFF;
    }

    static void store(MemorySegment m, long offset, int value) {
        m.set(BE_SHORT, offset, (short) value);
    }
}
