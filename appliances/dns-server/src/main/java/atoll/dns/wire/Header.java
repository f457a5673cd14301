package atoll.dns.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 12-octet message header (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2):
 *
 * <pre>
 *                                     1  1  1  1  1  1
 *       0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |                      ID                       |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |                    QDCOUNT                    |
 *     |                    ANCOUNT                    |
 *     |                    NSCOUNT                    |
 *     |                    ARCOUNT                    |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 *
 * The section counts are not part of this record: they follow from the lists in {@link Message}.
 * The Z bit is not kept (RFC 1035: "Must be zero in all queries and responses").
 *
 * @param opcode the 4-bit OPCODE ({@link Opcode})
 * @param rcode the 4-bit header RCODE; {@link Message#rcode()} adds the EDNS extended bits
 */
public record Header(int id, boolean qr, int opcode, boolean aa, boolean tc, boolean rd, boolean ra,
        boolean ad, boolean cd, int rcode) {

    /** RFC 1035 §4.1.1: the header is six 16-bit fields. */
    public static final int LENGTH = 12;

    // Offsets of the header fields (RFC 1035 §4.1.1).
    static final int ID = 0;
    static final int FLAGS = 2;
    static final int QDCOUNT = 4;
    static final int ANCOUNT = 6;
    static final int NSCOUNT = 8;
    static final int ARCOUNT = 10;

    // Bits of the second 16-bit word (RFC 1035 §4.1.1, RFC 4035 §3.2).
    static final int QR = 0x8000;
    static final int OPCODE_SHIFT = 11;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;
    static final int AD = 0x0020;
    static final int CD = 0x0010;
    static final int RCODE_MASK = 0x000f;

    /** DNS is big-endian ("network order", RFC 1035 §2.3.2); messages need no alignment. */
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public Header {
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("ID out of 16-bit range: " + id);
        }
        if (opcode < 0 || opcode > 0xf) {
            throw new IllegalArgumentException("OPCODE out of 4-bit range: " + opcode);
        }
        if (rcode < 0 || rcode > 0xf) {
            throw new IllegalArgumentException("header RCODE out of 4-bit range: " + rcode);
        }
    }

    /** A query header: QR=0, the given ID, OPCODE and RD, everything else clear. */
    public static Header query(int id, int opcode, boolean rd) {
        return new Header(id, false, opcode, false, false, rd, false, false, false, Rcode.NOERROR);
    }

    /**
     * The header of the message in {@code wire}, read without parsing anything else, or null if
     * fewer than 12 octets are there. Used to answer FORMERR to a query that does not parse, with
     * its ID and OPCODE (RFC 1035 §4.1.1: the ID "is copied [into] the corresponding reply").
     * Reads only; the caller keeps ownership of {@code wire}.
     */
    public static Header peek(MemorySegment wire) {
        if (wire.byteSize() < LENGTH) {
            return null;
        }
        return fromFlags(u16(wire, ID), u16(wire, FLAGS));
    }

    /** The section count at {@code offset} ({@link #QDCOUNT} ...); caller checked the length. */
    static int count(MemorySegment wire, int offset) {
        return u16(wire, offset);
    }

    static Header fromFlags(int id, int flags) {
        return new Header(id,
                (flags & QR) != 0,
                (flags >>> OPCODE_SHIFT) & 0xf,
                (flags & AA) != 0,
                (flags & TC) != 0,
                (flags & RD) != 0,
                (flags & RA) != 0,
                (flags & AD) != 0,
                (flags & CD) != 0,
                flags & RCODE_MASK);
    }

    /** The second 16-bit word; Z is written as zero (RFC 1035 §4.1.1). */
    int flags() {
        return (qr ? QR : 0) | opcode << OPCODE_SHIFT | (aa ? AA : 0) | (tc ? TC : 0) | (rd ? RD : 0)
                | (ra ? RA : 0) | (ad ? AD : 0) | (cd ? CD : 0) | rcode;
    }

    /**
     * The second 16-bit word of a response header, without building a {@code Header}: QR set, the
     * query's OPCODE, RD and CD copied, TC, RA, AD and Z clear.
     *
     * @param rcode the 4-bit header RCODE
     */
    public static int responseFlags(int opcode, boolean aa, boolean rd, boolean cd, int rcode) {
        return QR | opcode << OPCODE_SHIFT | (aa ? AA : 0) | (rd ? RD : 0) | (cd ? CD : 0) | (rcode & RCODE_MASK);
    }

    /** This header with TC set or cleared. */
    public Header withTc(boolean truncated) {
        return new Header(id, qr, opcode, aa, truncated, rd, ra, ad, cd, rcode);
    }

    /** This header with another 4-bit RCODE. */
    public Header withRcode(int headerRcode) {
        return new Header(id, qr, opcode, aa, tc, rd, ra, ad, cd, headerRcode);
    }

    private static int u16(MemorySegment wire, long offset) {
        return Short.toUnsignedInt(wire.get(U16, offset));
    }

    /** dig's {@code flags: qr aa rd} list. */
    String flagText() {
        StringBuilder sb = new StringBuilder();
        if (qr) sb.append(" qr");
        if (aa) sb.append(" aa");
        if (tc) sb.append(" tc");
        if (rd) sb.append(" rd");
        if (ra) sb.append(" ra");
        if (ad) sb.append(" ad");
        if (cd) sb.append(" cd");
        return sb.toString();
    }
}
