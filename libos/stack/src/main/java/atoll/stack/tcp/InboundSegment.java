package atoll.stack.tcp;

import atoll.libos.buffer.PooledBuffer;

/**
 * A received segment's header fields and options, parsed once (RFC 9293 §3.1, RFC 7323 §2–3,
 * RFC 2018 §2–3, RFC 9293 §3.7.1). A mutable holder reused for every segment a stack receives so
 * that the receive path allocates nothing; valid only during one {@code receive} call.
 *
 * <p>Temporary home of the TCP header parse until atoll.stack.wire's view is merged.
 */
public final class InboundSegment {
    /** RFC 9293 §3.1: Data Offset counts 32-bit words; at least 5. */
    static final int MIN_HEADER = 20;
    /** RFC 2018 §3: at most four SACK blocks fit in the 40 bytes of option space. */
    static final int MAX_SACK_BLOCKS = 4;

    /** RFC 9293 §3.2 option kinds; 3, 4, 5, 8 from RFC 7323 and RFC 2018. */
    static final int OPT_END = 0;
    static final int OPT_NOP = 1;
    static final int OPT_MSS = 2;
    static final int OPT_WSCALE = 3;
    static final int OPT_SACK_PERMITTED = 4;
    static final int OPT_SACK = 5;
    static final int OPT_TIMESTAMPS = 8;

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
    /** -1 when absent. */
    int windowScale;
    boolean sackPermitted;
    boolean hasTimestamps;
    int tsVal;
    int tsEcr;
    int sackBlocks;
    final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    final int[] sackRight = new int[MAX_SACK_BLOCKS];

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public int seq() {
        return seq;
    }

    public int ack() {
        return ack;
    }

    public int flags() {
        return flags;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies: payload plus one each for SYN and FIN (RFC 9293 §3.4). */
    int segLen() {
        return payloadLength + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    /**
     * Parses the header in the buffer's window. Returns false (and the segment is to be dropped
     * and counted) if the data offset or an option length is malformed. Unknown options are
     * skipped by their length (RFC 9293 §3.1: "must be prepared to handle an illegal option
     * length ... without crashing").
     */
    boolean parse(PooledBuffer b) {
        int len = b.length();
        if (len < MIN_HEADER) {
            return false;
        }
        srcPort = b.getU16(0);
        dstPort = b.getU16(2);
        seq = b.getI32(4);
        ack = b.getI32(8);
        int offsetWord = b.getU8(12);
        headerLength = (offsetWord >>> 4) * 4;
        flags = b.getU8(13);
        window = b.getU16(14);
        if (headerLength < MIN_HEADER || headerLength > len) {
            return false;
        }
        payloadLength = len - headerLength;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        sackBlocks = 0;
        int i = MIN_HEADER;
        while (i < headerLength) {
            int kind = b.getU8(i);
            if (kind == OPT_END) {
                break;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= headerLength) {
                return false;
            }
            int optLen = b.getU8(i + 1);
            if (optLen < 2 || i + optLen > headerLength) {
                return false;
            }
            switch (kind) {
                case OPT_MSS -> {
                    if (optLen == 4) {
                        mss = b.getU16(i + 2);
                    }
                }
                case OPT_WSCALE -> {
                    if (optLen == 3) {
                        windowScale = b.getU8(i + 2);
                    }
                }
                case OPT_SACK_PERMITTED -> sackPermitted = optLen == 2;
                case OPT_TIMESTAMPS -> {
                    if (optLen == 10) {
                        hasTimestamps = true;
                        tsVal = b.getI32(i + 2);
                        tsEcr = b.getI32(i + 6);
                    }
                }
                case OPT_SACK -> {
                    int n = (optLen - 2) / 8;
                    if ((optLen - 2) % 8 == 0) {
                        for (int k = 0; k < n && k < MAX_SACK_BLOCKS; k++) {
                            sackLeft[k] = b.getI32(i + 2 + 8 * k);
                            sackRight[k] = b.getI32(i + 6 + 8 * k);
                        }
                        sackBlocks = Math.min(n, MAX_SACK_BLOCKS);
                    }
                }
                default -> {
                    // RFC 9293 §3.2: unknown options are ignored.
                }
            }
            i += optLen;
        }
        return true;
    }

    @Override
    public String toString() {
        return TcpFlags.toString(flags) + " seq=" + Integer.toUnsignedString(seq) + " ack="
                + Integer.toUnsignedString(ack) + " win=" + window + " len=" + payloadLength;
    }
}
