package atoll.stack.tcp;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.stack.wire.BigEndian;
import atoll.stack.wire.InternetChecksum;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.TcpHeader;
import java.lang.foreign.MemorySegment;

/**
 * The fields of a segment about to be sent, filled by a connection and written by
 * {@link #writeHeader} in front of the payload already in the buffer. A mutable holder reused for
 * every segment a stack sends, so that the send path allocates nothing (the slow-path equivalent
 * is {@link atoll.stack.wire.TcpRepr}; the option layout is the same: MSS, SACK-permitted and
 * timestamps in one 12-byte slot, window scale, SACK blocks).
 */
final class OutboundSegment {
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
    final int[] sackLeft = new int[TcpHeader.MAX_SACK_BLOCKS];
    final int[] sackRight = new int[TcpHeader.MAX_SACK_BLOCKS];

    void reset() {
        flags = 0;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        sackBlocks = 0;
    }

    int headerLength() {
        int n = TcpHeader.MIN_LENGTH;
        if (mss >= 0) {
            n += 4;
        }
        if (timestamps) {
            n += 12;
        } else if (sackPermitted) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4;
        }
        if (sackBlocks > 0) {
            n += 4 + 8 * sackBlocks;
        }
        return n;
    }

    /**
     * Prepends the header (options padded to 32-bit words with NOPs) in front of the buffer's
     * window, which holds the payload, and stores the checksum over pseudo-header, header and
     * payload (RFC 9293 §3.1).
     */
    void writeHeader(PooledBuffer b, int srcAddr, int dstAddr) {
        int hl = headerLength();
        int payload = b.length();
        b.pushHeader(HeaderLayer.TRANSPORT, hl);
        MemorySegment s = b.memory();
        long offset = b.start();
        BigEndian.putU16(s, offset + TcpHeader.SRC_PORT, srcPort);
        BigEndian.putU16(s, offset + TcpHeader.DST_PORT, dstPort);
        BigEndian.putI32(s, offset + TcpHeader.SEQ, seq);
        BigEndian.putI32(s, offset + TcpHeader.ACK, ack);
        BigEndian.putU8(s, offset + TcpHeader.DATA_OFFSET, (hl / 4) << 4);
        BigEndian.putU8(s, offset + TcpHeader.FLAGS, flags);
        BigEndian.putU16(s, offset + TcpHeader.WINDOW, window);
        BigEndian.putU16(s, offset + TcpHeader.CHECKSUM, 0);
        BigEndian.putU16(s, offset + TcpHeader.URGENT, 0);
        long at = offset + TcpHeader.OPTIONS;
        if (mss >= 0) {
            BigEndian.putU8(s, at, TcpHeader.OPT_MSS);
            BigEndian.putU8(s, at + 1, 4);
            BigEndian.putU16(s, at + 2, mss);
            at += 4;
        }
        if (timestamps) {
            if (sackPermitted) {
                BigEndian.putU8(s, at, TcpHeader.OPT_SACK_PERMITTED);
                BigEndian.putU8(s, at + 1, 2);
            } else {
                BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
                BigEndian.putU8(s, at + 1, TcpHeader.OPT_NOP);
            }
            BigEndian.putU8(s, at + 2, TcpHeader.OPT_TIMESTAMPS);
            BigEndian.putU8(s, at + 3, 10);
            BigEndian.putI32(s, at + 4, tsVal);
            BigEndian.putI32(s, at + 8, tsEcr);
            at += 12;
        } else if (sackPermitted) {
            BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 1, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 2, TcpHeader.OPT_SACK_PERMITTED);
            BigEndian.putU8(s, at + 3, 2);
            at += 4;
        }
        if (windowScale >= 0) {
            BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 1, TcpHeader.OPT_WINDOW_SCALE);
            BigEndian.putU8(s, at + 2, 3);
            BigEndian.putU8(s, at + 3, windowScale);
            at += 4;
        }
        if (sackBlocks > 0) {
            BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 1, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 2, TcpHeader.OPT_SACK);
            BigEndian.putU8(s, at + 3, 2 + 8 * sackBlocks);
            at += 4;
            for (int k = 0; k < sackBlocks; k++) {
                BigEndian.putI32(s, at, sackLeft[k]);
                BigEndian.putI32(s, at + 4, sackRight[k]);
                at += 8;
            }
        }
        int total = hl + payload;
        long sum = InternetChecksum.pseudoHeader(srcAddr, dstAddr, IpProtocol.TCP, total);
        BigEndian.putU16(s, offset + TcpHeader.CHECKSUM, InternetChecksum.finish(InternetChecksum.add(sum, s, offset, total)));
    }
}
