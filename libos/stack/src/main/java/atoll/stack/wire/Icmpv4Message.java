package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A flyweight view of an ICMPv4 message in place; {@link #check} verifies length and checksum.
 *
 * <pre>
 * RFC 792 (all messages share the first 4 octets; the next 4 depend on the type):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Echo: Identifier             |  Echo: Sequence Number        |  4
 * |  Destination Unreachable: unused (RFC 1191 §4: code 4 carries |
 * |  "Next-Hop MTU" in the low-order 16 bits)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Echo: data.  Errors: Internet Header + 64 bits of the         |  8
 * |  original datagram's data                                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Icmpv4Message {
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int REST = 4;
    public static final int HEADER_LENGTH = 8;

    // RFC 792 message types.
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;

    // RFC 792 Destination Unreachable codes.
    public static final int NET_UNREACHABLE = 0;
    public static final int HOST_UNREACHABLE = 1;
    public static final int PROTOCOL_UNREACHABLE = 2;
    public static final int PORT_UNREACHABLE = 3;
    /** RFC 792 "fragmentation needed and DF set"; RFC 1191 §4 adds the next-hop MTU. */
    public static final int FRAGMENTATION_NEEDED = 4;

    /** RFC 792 Time Exceeded code 1: "fragment reassembly time exceeded". */
    public static final int REASSEMBLY_TIME_EXCEEDED = 1;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;

    public Verdict check(PooledBuffer buffer) {
        return check(buffer.memory(), buffer.start(), buffer.length());
    }

    public Verdict check(MemorySegment segment, long offset, int length) {
        this.segment = MemorySegment.NULL;
        if (length < HEADER_LENGTH || offset < 0 || offset + length > segment.byteSize()) {
            return Verdict.TRUNCATED;
        }
        // RFC 792: "The checksum is the 16-bit ones's complement of the one's complement sum of
        // the ICMP message starting with the ICMP Type."
        if (InternetChecksum.of(segment, offset, length) != 0) {
            return Verdict.BAD_CHECKSUM;
        }
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        return Verdict.OK;
    }

    public int type() {
        return BigEndian.u8(segment, offset + TYPE);
    }

    public int code() {
        return BigEndian.u8(segment, offset + CODE);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM);
    }

    /** The four type-specific octets after the checksum. */
    public int rest() {
        return BigEndian.i32(segment, offset + REST);
    }

    /** Echo and echo reply: the identifier. */
    public int echoIdentifier() {
        return BigEndian.u16(segment, offset + REST);
    }

    /** Echo and echo reply: the sequence number. */
    public int echoSequence() {
        return BigEndian.u16(segment, offset + REST + 2);
    }

    /** Fragmentation needed: the next-hop MTU (RFC 1191 §4), 0 from a pre-RFC 1191 router. */
    public int nextHopMtu() {
        return BigEndian.u16(segment, offset + REST + 2);
    }

    /** The memory this view reads. */
    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Echo data, or for errors the quoted original header and data. */
    public long payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }
}
