package atoll.stack.tcp;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The fields of a segment about to be sent, filled by a connection and written by
 * {@link #writeHeader} in front of the payload already in the buffer. A mutable holder reused for
 * every segment a stack sends, so that the send path allocates nothing.
 *
 * <p>Temporary home of the TCP header emit until atoll.stack.wire's view is merged.
 */
final class OutboundSegment {
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** RFC 9293 §3.1: 40 bytes of options at most (Data Offset 15 words). */
    static final int MAX_HEADER = 60;

    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window;
    int mss = -1;
    int windowScale = -1;
    boolean sackPermitted;
    boolean timestamps;
    int tsVal;
    int tsEcr;
    int sackBlocks;
    final int[] sackLeft = new int[InboundSegment.MAX_SACK_BLOCKS];
    final int[] sackRight = new int[InboundSegment.MAX_SACK_BLOCKS];

    void reset() {
        flags = 0;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        sackBlocks = 0;
    }

    int optionsLength() {
        int n = 0;
        if (mss >= 0) {
            n += 4;
        }
        if (sackPermitted) {
            n += 2;
        }
        if (timestamps) {
            n += 10;
        }
        if (windowScale >= 0) {
            n += 3;
        }
        if (sackBlocks > 0) {
            n += 2 + 8 * sackBlocks;
        }
        return (n + 3) & ~3; // padded with NOPs to a 32-bit boundary
    }

    /**
     * Prepends the header (with options, padded) in front of the buffer's window, which holds the
     * payload, and stores the checksum over the pseudo-header and the whole segment.
     */
    void writeHeader(PooledBuffer b, int srcAddr, int dstAddr) {
        int optLen = optionsLength();
        int hdr = InboundSegment.MIN_HEADER + optLen;
        MemorySegment m = b.prepend(hdr);
        m.set(BE_SHORT, 0, (short) srcPort);
        m.set(BE_SHORT, 2, (short) dstPort);
        m.set(BE_INT, 4, seq);
        m.set(BE_INT, 8, ack);
        m.set(ValueLayout.JAVA_BYTE, 12, (byte) ((hdr / 4) << 4));
        m.set(ValueLayout.JAVA_BYTE, 13, (byte) flags);
        m.set(BE_SHORT, 14, (short) window);
        m.set(BE_SHORT, 16, (short) 0);
        m.set(BE_SHORT, 18, (short) 0);
        int i = InboundSegment.MIN_HEADER;
        int end = hdr;
        if (mss >= 0) {
            m.set(ValueLayout.JAVA_BYTE, i, (byte) InboundSegment.OPT_MSS);
            m.set(ValueLayout.JAVA_BYTE, i + 1, (byte) 4);
            m.set(BE_SHORT, i + 2, (short) mss);
            i += 4;
        }
        if (sackPermitted) {
            m.set(ValueLayout.JAVA_BYTE, i, (byte) InboundSegment.OPT_SACK_PERMITTED);
            m.set(ValueLayout.JAVA_BYTE, i + 1, (byte) 2);
            i += 2;
        }
        if (timestamps) {
            m.set(ValueLayout.JAVA_BYTE, i, (byte) InboundSegment.OPT_TIMESTAMPS);
            m.set(ValueLayout.JAVA_BYTE, i + 1, (byte) 10);
            m.set(BE_INT, i + 2, tsVal);
            m.set(BE_INT, i + 6, tsEcr);
            i += 10;
        }
        if (windowScale >= 0) {
            m.set(ValueLayout.JAVA_BYTE, i, (byte) InboundSegment.OPT_WSCALE);
            m.set(ValueLayout.JAVA_BYTE, i + 1, (byte) 3);
            m.set(ValueLayout.JAVA_BYTE, i + 2, (byte) windowScale);
            i += 3;
        }
        if (sackBlocks > 0) {
            m.set(ValueLayout.JAVA_BYTE, i, (byte) InboundSegment.OPT_SACK);
            m.set(ValueLayout.JAVA_BYTE, i + 1, (byte) (2 + 8 * sackBlocks));
            i += 2;
            for (int k = 0; k < sackBlocks; k++) {
                m.set(BE_INT, i, sackLeft[k]);
                m.set(BE_INT, i + 4, sackRight[k]);
                i += 8;
            }
        }
        while (i < end) {
            m.set(ValueLayout.JAVA_BYTE, i++, (byte) InboundSegment.OPT_NOP);
        }
        MemorySegment all = b.memory();
        int at = b.start();
        Checksum.store(all, at + 16, Checksum.compute(all, at, b.length(), srcAddr, dstAddr));
    }
}
