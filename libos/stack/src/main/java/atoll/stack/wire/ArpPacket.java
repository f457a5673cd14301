package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A flyweight view of an ARP packet for IPv4 over Ethernet, the only pairing this stack resolves.
 *
 * <pre>
 * RFC 826 "Packet format", with hardware Ethernet (6-byte addresses) and protocol IPv4 (4):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (ar$hrd = 1)  |  Protocol type (ar$pro 0800)  |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ar$hln = 6    | ar$pln = 4    |   Opcode (ar$op: 1 req, 2 rep)|  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Sender hardware address (ar$sha, 6)                |  8
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | Sender protocol addr (ar$spa) | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   (ar$spa cont.)              | Target hardware addr (ar$tha) | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                                                               | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Target protocol address (ar$tpa, 4)                | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpPacket {
    public static final int HARDWARE_TYPE = 0;
    public static final int PROTOCOL_TYPE = 2;
    public static final int HARDWARE_LENGTH = 4;
    public static final int PROTOCOL_LENGTH = 5;
    public static final int OPERATION = 6;
    public static final int SENDER_HARDWARE = 8;
    public static final int SENDER_PROTOCOL = 14;
    public static final int TARGET_HARDWARE = 18;
    public static final int TARGET_PROTOCOL = 24;
    public static final int LENGTH = 28;

    /** IANA ARP hardware type: Ethernet (10Mb), RFC 826. */
    public static final int HTYPE_ETHERNET = 1;
    /** RFC 826 ares_op$REQUEST. */
    public static final int REQUEST = 1;
    /** RFC 826 ares_op$REPLY. */
    public static final int REPLY = 2;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Verdict check(PooledBuffer buffer) {
        return check(buffer.memory(), buffer.start(), buffer.length());
    }

    /**
     * Checks an Ethernet/IPv4 ARP request or reply. Bytes beyond 28 (the medium's padding) are
     * ignored.
     */
    public Verdict check(MemorySegment segment, long offset, int length) {
        this.segment = MemorySegment.NULL;
        if (length < LENGTH || offset < 0 || offset + length > segment.byteSize()) {
            return Verdict.TRUNCATED;
        }
        // RFC 826 "Packet Reception": "?Do I have the hardware type in ar$hrd? Yes: (almost
        // definitely) [optionally check the hardware length ar$hln] ?Do I speak the protocol in
        // ar$pro?" — anything else is not for this stack.
        if (BigEndian.u16(segment, offset + HARDWARE_TYPE) != HTYPE_ETHERNET
                || BigEndian.u16(segment, offset + PROTOCOL_TYPE) != EthernetFrame.TYPE_IPV4
                || BigEndian.u8(segment, offset + HARDWARE_LENGTH) != 6
                || BigEndian.u8(segment, offset + PROTOCOL_LENGTH) != 4) {
            return Verdict.BAD_VERSION;
        }
        int op = BigEndian.u16(segment, offset + OPERATION);
        if (op != REQUEST && op != REPLY) {
            return Verdict.BAD_FIELD;
        }
        this.segment = segment;
        this.offset = offset;
        return Verdict.OK;
    }

    public int operation() {
        return BigEndian.u16(segment, offset + OPERATION);
    }

    public long senderHardware() {
        return BigEndian.u48(segment, offset + SENDER_HARDWARE);
    }

    public int senderProtocol() {
        return BigEndian.i32(segment, offset + SENDER_PROTOCOL);
    }

    public long targetHardware() {
        return BigEndian.u48(segment, offset + TARGET_HARDWARE);
    }

    public int targetProtocol() {
        return BigEndian.i32(segment, offset + TARGET_PROTOCOL);
    }
}
