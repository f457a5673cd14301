package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A flyweight view of a UDP datagram in place; {@link #check} verifies the length field and the
 * checksum with the IPv4 pseudo-header.
 *
 * <pre>
 * RFC 768, User Datagram Header Format:
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |  0
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |                 |                 |  4
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |          data octets ...             8
 * +---------------- ...
 * </pre>
 */
public final class UdpHeader {
    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;

    public Verdict check(PooledBuffer buffer, int source, int destination) {
        return check(buffer.memory(), buffer.start(), buffer.length(), source, destination);
    }

    /**
     * Checks {@code length} bytes at {@code offset} (the IPv4 payload) as a UDP datagram from
     * {@code source} to {@code destination}. The datagram ends where its Length field says; bytes
     * beyond it are ignored.
     */
    public Verdict check(MemorySegment segment, long offset, int length, int source, int destination) {
        this.segment = MemorySegment.NULL;
        if (length < HEADER_LENGTH || offset < 0 || offset + length > segment.byteSize()) {
            return Verdict.TRUNCATED;
        }
        // RFC 768: "Length is the length in octets of this user datagram including this header and
        // the data. (This means the minimum value of the length is eight.)"
        int udpLength = BigEndian.u16(segment, offset + LENGTH);
        if (udpLength < HEADER_LENGTH) {
            return Verdict.BAD_LENGTH;
        }
        if (udpLength > length) {
            return Verdict.TRUNCATED;
        }
        // RFC 768: "An all zero transmitted checksum value means that the transmitter generated no
        // checksum"; RFC 1122 §4.1.3.4: if present, "the receiver MUST check it" and silently
        // discard a datagram that fails.
        if (BigEndian.u16(segment, offset + CHECKSUM) != 0) {
            long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.UDP, udpLength);
            if (InternetChecksum.finish(InternetChecksum.add(sum, segment, offset, udpLength)) != 0) {
                return Verdict.BAD_CHECKSUM;
            }
        }
        this.segment = segment;
        this.offset = offset;
        this.length = udpLength;
        return Verdict.OK;
    }

    /** The memory this view reads. */
    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the UDP header in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    public int srcPort() {
        return BigEndian.u16(segment, offset + SRC_PORT);
    }

    public int dstPort() {
        return BigEndian.u16(segment, offset + DST_PORT);
    }

    /** The Length field: header plus data. */
    public int length() {
        return length;
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM);
    }

    public long payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }
}
