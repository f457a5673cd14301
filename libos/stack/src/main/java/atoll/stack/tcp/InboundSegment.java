package atoll.stack.tcp;

import atoll.stack.wire.TcpHeader;

/**
 * The fields of a received segment the engine works with, copied once from the checked
 * {@link TcpHeader} view. A mutable holder reused for every segment a stack receives, so the
 * receive path allocates nothing; valid during one {@code receive} call only.
 */
final class InboundSegment {
    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window;
    int headerLength;
    int payloadLength;
    /** -1 when absent. */
    int mss;
    /** -1 when absent; already capped at 14 by the view (RFC 7323 §2.3). */
    int windowScale;
    boolean sackPermitted;
    boolean hasTimestamps;
    int tsVal;
    int tsEcr;
    int sackBlocks;
    final int[] sackLeft = new int[TcpHeader.MAX_SACK_BLOCKS];
    final int[] sackRight = new int[TcpHeader.MAX_SACK_BLOCKS];

    /** Copies the fields of a view that passed {@link TcpHeader#check}. */
    void load(TcpHeader h) {
        srcPort = h.srcPort();
        dstPort = h.dstPort();
        seq = h.seq();
        ack = h.ack();
        flags = h.flags();
        window = h.window();
        headerLength = h.headerLength();
        payloadLength = h.payloadLength();
        mss = h.mss();
        windowScale = h.windowShift();
        sackPermitted = h.sackPermitted();
        hasTimestamps = h.hasTimestamps();
        tsVal = h.tsVal();
        tsEcr = h.tsEcr();
        sackBlocks = Math.min(h.sackBlockCount(), TcpHeader.MAX_SACK_BLOCKS);
        for (int i = 0; i < sackBlocks; i++) {
            sackLeft[i] = h.sackLeft(i);
            sackRight[i] = h.sackRight(i);
        }
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies: payload plus one each for SYN and FIN (RFC 9293 §3.4). */
    int segLen() {
        return payloadLength + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return "flags=0x" + Integer.toHexString(flags) + " seq=" + Integer.toUnsignedString(seq) + " ack="
                + Integer.toUnsignedString(ack) + " win=" + window + " len=" + payloadLength;
    }
}
