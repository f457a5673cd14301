package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A flyweight view of an IPv4 datagram in place. {@link #check} validates version, header length,
 * total length against the bytes present, and the header checksum; options are skipped, not
 * interpreted (see CONFORMANCE.md).
 *
 * <pre>
 * RFC 791 §3.1, Internet header format:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Flags: bit 0 reserved (zero), bit 1 DF, bit 2 MF. Fragment offset in 8-octet units.
 * </pre>
 */
public final class Ipv4Header {
    public static final int VERSION_IHL = 0;
    public static final int TOS = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    public static final int FLAGS_FRAGMENT = 6;
    public static final int TTL = 8;
    public static final int PROTOCOL = 9;
    public static final int CHECKSUM = 10;
    public static final int SOURCE = 12;
    public static final int DESTINATION = 16;

    /** RFC 791 §3.1: "the minimum value for a correct header is 5" 32-bit words. */
    public static final int MIN_LENGTH = 20;
    /** RFC 791 §3.1: IHL is 4 bits, so at most 15 words. */
    public static final int MAX_LENGTH = 60;
    /** RFC 791 §3.1: Total Length is 16 bits. */
    public static final int MAX_DATAGRAM = 65535;
    /** RFC 791 §3.1 flags. */
    public static final int DF = 0x4000;
    public static final int MF = 0x2000;
    public static final int OFFSET_MASK = 0x1fff;
    /** RFC 1700 / RFC 1122 §3.2.1.7: the recommended default TTL is 64. */
    public static final int DEFAULT_TTL = 64;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int headerLength;
    private int totalLength;

    public Verdict check(PooledBuffer buffer) {
        return check(buffer.memory(), buffer.start(), buffer.length());
    }

    /**
     * Checks {@code length} bytes at {@code offset} as an IPv4 datagram. Bytes past the Total
     * Length (link-layer padding) are ignored; {@link #totalLength()} is what counts.
     */
    public Verdict check(MemorySegment segment, long offset, int length) {
        this.segment = MemorySegment.NULL;
        if (length < MIN_LENGTH || offset < 0 || offset + length > segment.byteSize()) {
            return Verdict.TRUNCATED;
        }
        int vihl = BigEndian.u8(segment, offset + VERSION_IHL);
        // RFC 1122 §3.2.1.1: "A datagram whose version number is not 4 MUST be silently discarded."
        if (vihl >>> 4 != 4) {
            return Verdict.BAD_VERSION;
        }
        int hl = (vihl & 0xf) * 4;
        if (hl < MIN_LENGTH) {
            return Verdict.BAD_HEADER_LENGTH;
        }
        if (hl > length) {
            return Verdict.TRUNCATED;
        }
        int total = BigEndian.u16(segment, offset + TOTAL_LENGTH);
        if (total < hl) {
            return Verdict.BAD_LENGTH;
        }
        if (total > length) {
            return Verdict.TRUNCATED;
        }
        // RFC 1122 §3.2.1.2: "A host MUST verify the IP header checksum on every received datagram
        // and silently discard every datagram that has a bad checksum."
        if (InternetChecksum.of(segment, offset, hl) != 0) {
            return Verdict.BAD_CHECKSUM;
        }
        this.segment = segment;
        this.offset = offset;
        this.headerLength = hl;
        this.totalLength = total;
        return Verdict.OK;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /** IHL × 4: 20 to 60. */
    public int headerLength() {
        return headerLength;
    }

    public int totalLength() {
        return totalLength;
    }

    /** The Type of Service octet (DSCP and ECN, RFC 2474 / RFC 3168). */
    public int tos() {
        return BigEndian.u8(segment, offset + TOS);
    }

    public int identification() {
        return BigEndian.u16(segment, offset + IDENTIFICATION);
    }

    public boolean dontFragment() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT) & DF) != 0;
    }

    public boolean moreFragments() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT) & MF) != 0;
    }

    /** Fragment offset in bytes (the field × 8). */
    public int fragmentOffset() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT) & OFFSET_MASK) * 8;
    }

    /** True if this is a fragment (MF set or a non-zero offset). */
    public boolean isFragment() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT) & (MF | OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return BigEndian.u8(segment, offset + TTL);
    }

    public int protocol() {
        return BigEndian.u8(segment, offset + PROTOCOL);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM);
    }

    public int source() {
        return BigEndian.i32(segment, offset + SOURCE);
    }

    public int destination() {
        return BigEndian.i32(segment, offset + DESTINATION);
    }

    public long payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return totalLength - headerLength;
    }
}
