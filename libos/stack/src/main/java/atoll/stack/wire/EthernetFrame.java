package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A flyweight view of an Ethernet II frame as a TAP device delivers it (no preamble, no FCS).
 *
 * <pre>
 * Ethernet II (IEEE 802.3 clause 3.1.1, type interpretation; RFC 894 for IPv4 over it):
 * +-------------------+-------------------+---------+------------------------------
 * | Destination (6)   | Source (6)        | Type (2)| Payload (46..1500 on the wire)
 * +-------------------+-------------------+---------+------------------------------
 *  0                   6                  12        14
 * </pre>
 *
 * A TAP device strips the minimum-length padding requirement of the medium: frames shorter than
 * 60 bytes are accepted, and the upper layer's length field says where its data ends (RFC 894:
 * the padding is not part of the IP datagram).
 */
public final class EthernetFrame {
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;
    public static final int ETHER_TYPE = 12;
    public static final int HEADER_LENGTH = 14;

    /** IEEE EtherType registry: IPv4 (RFC 894). */
    public static final int TYPE_IPV4 = 0x0800;
    /** IEEE EtherType registry: ARP (RFC 826). */
    public static final int TYPE_ARP = 0x0806;

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
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        return Verdict.OK;
    }

    /** The memory this view reads. */
    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public long destination() {
        return BigEndian.u48(segment, offset + DESTINATION);
    }

    public long source() {
        return BigEndian.u48(segment, offset + SOURCE);
    }

    /** The EtherType; a value below 0x0600 is an IEEE 802.3 length, which this stack ignores. */
    public int etherType() {
        return BigEndian.u16(segment, offset + ETHER_TYPE);
    }

    public long payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    public int length() {
        return length;
    }
}
