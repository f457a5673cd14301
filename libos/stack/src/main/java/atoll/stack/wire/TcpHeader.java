package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A flyweight view of a TCP segment (header, options and payload) in place, reusable for every
 * segment. {@link #check} validates once: length, data offset, checksum with the IPv4
 * pseudo-header, and every option's length; after it returned {@link Verdict#OK} no accessor throws.
 *
 * <pre>
 * RFC 9293 §3.1, TCP header format (one tick mark per bit):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (Data Offset - 5 words)            | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Data                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Options (kind, length, value): EOL 0; NOP 1; MSS 2,4,mss(16) (RFC 9293 §3.2); window scale
 * 3,3,shift (RFC 7323 §2.2); SACK-permitted 4,2 and SACK 5,2+8n,n×(left,right) (RFC 2018 §2–3);
 * timestamps 8,10,TSval(32),TSecr(32) (RFC 7323 §3.2).
 */
public final class TcpHeader {
    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int SEQ = 4;
    public static final int ACK = 8;
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT = 18;
    public static final int OPTIONS = 20;

    /** RFC 9293 §3.1: the data offset counts 32-bit words, at least 5. */
    public static final int MIN_LENGTH = 20;
    /** RFC 9293 §3.1: a 4-bit data offset of 15 words. */
    public static final int MAX_LENGTH = 60;

    // RFC 9293 §3.1 control bits (byte 13), RFC 3168 §6.1 for CWR and ECE.
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK_FLAG = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    // Option kinds: RFC 9293 §3.2, RFC 7323, RFC 2018.
    public static final int OPT_EOL = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    public static final int OPT_WINDOW_SCALE = 3;
    public static final int OPT_SACK_PERMITTED = 4;
    public static final int OPT_SACK = 5;
    public static final int OPT_TIMESTAMPS = 8;

    /** RFC 7323 §2.3: the largest shift; a larger one is used as 14. */
    public static final int MAX_WINDOW_SHIFT = 14;
    /** 40 option bytes hold at most 4 SACK blocks (RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;
    private int headerLength;
    private int mss;
    private int windowShift;
    private boolean sackPermitted;
    private int sackBlocks;
    private int sackAt;
    private int timestampsAt;

    /**
     * Checks the window of {@code buffer} as a TCP segment that came from {@code source} to
     * {@code destination} (IPv4 addresses, for the pseudo-header) and points this view at it.
     */
    public Verdict check(PooledBuffer buffer, int source, int destination) {
        return check(buffer.memory(), buffer.start(), buffer.length(), source, destination);
    }

    /**
     * Checks {@code length} bytes at {@code offset} as a TCP segment from {@code source} to
     * {@code destination}, including its checksum, and points this view at them. On any verdict
     * but OK the view is left pointing at nothing.
     */
    public Verdict check(MemorySegment segment, long offset, int length, int source, int destination) {
        this.segment = MemorySegment.NULL;
        if (length < MIN_LENGTH || offset < 0 || offset + length > segment.byteSize()) {
            return Verdict.TRUNCATED;
        }
        if (length > 0xffff) {
            return Verdict.BAD_LENGTH; // the pseudo-header's TCP length is 16 bits
        }
        int hl = (BigEndian.u8(segment, offset + DATA_OFFSET) >>> 4) * 4;
        if (hl < MIN_LENGTH) {
            return Verdict.BAD_HEADER_LENGTH;
        }
        if (hl > length) {
            return Verdict.TRUNCATED;
        }
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.TCP, length);
        if (InternetChecksum.finish(InternetChecksum.add(sum, segment, offset, length)) != 0) {
            return Verdict.BAD_CHECKSUM;
        }
        Verdict v = parseOptions(segment, offset, hl);
        if (v != Verdict.OK) {
            return v;
        }
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        this.headerLength = hl;
        return Verdict.OK;
    }

    private Verdict parseOptions(MemorySegment s, long base, int hl) {
        mss = -1;
        windowShift = -1;
        sackPermitted = false;
        sackBlocks = 0;
        sackAt = -1;
        timestampsAt = -1;
        int i = OPTIONS;
        while (i < hl) {
            int kind = BigEndian.u8(s, base + i);
            if (kind == OPT_EOL) {
                break;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= hl) {
                return Verdict.BAD_OPTION;
            }
            int len = BigEndian.u8(s, base + i + 1);
            // RFC 9293 §3.1 (MUST-7 discussion): an option length below 2 or past the header is
            // illegal; the segment is dropped rather than the rest guessed at.
            if (len < 2 || i + len > hl) {
                return Verdict.BAD_OPTION;
            }
            switch (kind) {
                case OPT_MSS -> {
                    if (len != 4) {
                        return Verdict.BAD_OPTION;
                    }
                    mss = BigEndian.u16(s, base + i + 2);
                }
                case OPT_WINDOW_SCALE -> {
                    if (len != 3) {
                        return Verdict.BAD_OPTION;
                    }
                    // RFC 7323 §2.3: "If a Window Scale option is received with a shift.cnt
                    // value larger than 14, the TCP SHOULD log the error but MUST use 14 instead
                    // of the specified value."
                    windowShift = Math.min(BigEndian.u8(s, base + i + 2), MAX_WINDOW_SHIFT);
                }
                case OPT_SACK_PERMITTED -> {
                    if (len != 2) {
                        return Verdict.BAD_OPTION;
                    }
                    sackPermitted = true;
                }
                case OPT_SACK -> {
                    if ((len - 2) % 8 != 0 || len == 2) {
                        return Verdict.BAD_OPTION;
                    }
                    sackBlocks = (len - 2) / 8;
                    sackAt = i + 2;
                }
                case OPT_TIMESTAMPS -> {
                    if (len != 10) {
                        return Verdict.BAD_OPTION;
                    }
                    timestampsAt = i + 2;
                }
                default -> {
                    // RFC 9293 §3.1 (MUST-6): "A TCP implementation MUST ignore without error any
                    // TCP option it does not implement, assuming that the option has a length
                    // field."
                }
            }
            i += len;
        }
        return Verdict.OK;
    }

    /** The memory this view reads. */
    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the segment's first byte in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    /** Header, options and payload. */
    public int length() {
        return length;
    }

    public int srcPort() {
        return BigEndian.u16(segment, offset + SRC_PORT);
    }

    public int dstPort() {
        return BigEndian.u16(segment, offset + DST_PORT);
    }

    /** SEG.SEQ as a raw 32-bit value (see {@link SeqNumber} for its arithmetic). */
    public int seq() {
        return BigEndian.i32(segment, offset + SEQ);
    }

    /** SEG.ACK as a raw 32-bit value. */
    public int ack() {
        return BigEndian.i32(segment, offset + ACK);
    }

    /** Header length in bytes, options included (data offset × 4). */
    public int headerLength() {
        return headerLength;
    }

    /** The eight control bits (CWR ECE URG ACK PSH RST SYN FIN). */
    public int flags() {
        return BigEndian.u8(segment, offset + FLAGS);
    }

    public boolean has(int flag) {
        return (flags() & flag) != 0;
    }

    /** SEG.WND as sent, before any window scaling. */
    public int window() {
        return BigEndian.u16(segment, offset + WINDOW);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM);
    }

    public int urgentPointer() {
        return BigEndian.u16(segment, offset + URGENT);
    }

    /** Offset of the payload in {@link #segment()}. */
    public long payloadOffset() {
        return offset + headerLength;
    }

    /** SEG.LEN without SYN/FIN: the payload bytes. */
    public int payloadLength() {
        return length - headerLength;
    }

    /** The MSS option's value, or -1 if absent. */
    public int mss() {
        return mss;
    }

    /** The window scale shift (at most 14), or -1 if absent. */
    public int windowShift() {
        return windowShift;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** Number of SACK blocks (0 if no SACK option). */
    public int sackBlockCount() {
        return sackBlocks;
    }

    /** Left edge of SACK block {@code i}; {@code i} is taken modulo the count (0 if none). */
    public int sackLeft(int i) {
        return sackBlocks == 0 ? 0 : BigEndian.i32(segment, offset + sackAt + 8L * Math.floorMod(i, sackBlocks));
    }

    /** Right edge (one past the last byte) of SACK block {@code i}, as {@link #sackLeft}. */
    public int sackRight(int i) {
        return sackBlocks == 0 ? 0 : BigEndian.i32(segment, offset + sackAt + 8L * Math.floorMod(i, sackBlocks) + 4);
    }

    public boolean hasTimestamps() {
        return timestampsAt >= 0;
    }

    /** TSval, or 0 if absent. */
    public int tsVal() {
        return timestampsAt < 0 ? 0 : BigEndian.i32(segment, offset + timestampsAt);
    }

    /** TSecr, or 0 if absent. */
    public int tsEcr() {
        return timestampsAt < 0 ? 0 : BigEndian.i32(segment, offset + timestampsAt + 4);
    }
}
