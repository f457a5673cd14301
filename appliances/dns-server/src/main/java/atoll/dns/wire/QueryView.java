package atoll.dns.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A flyweight view of the common query, read in place from the receive buffer: a header, exactly
 * one question whose name is written out in full, and at most one OPT record (RFC 1035 §4.1,
 * RFC 6891 §6.1). {@link #wrap} checks everything once; after it returned true no accessor throws
 * and nothing is copied: the question name stays an offset and a length in the wire octets.
 *
 * <pre>
 *                                 1  1  1  1  1  1
 *   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 * |                    QDCOUNT = 1                |
 * |                    ANCOUNT = 0                |
 * |                    NSCOUNT = 0                |
 * |                 ARCOUNT = 0 or 1 (OPT)        |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * /   QNAME: labels, no compression pointer       /   at offset 12
 * |   QTYPE   |   QCLASS  |
 * [ 0 | TYPE=41 | CLASS=UDP payload size | TTL=EXT-RCODE,VERSION,DO,Z | RDLENGTH | options ]
 * </pre>
 *
 * <p>Anything else (a compressed question name, several questions, records in the answer or
 * authority section, another additional record, octets after the last record) makes
 * {@code wrap} return false: such a message is not malformed for that, and the caller takes the
 * general path ({@link MessageReader}), which answers it as it always has. Every message this
 * view accepts {@link MessageReader} parses too, to the same header, question and OPT.
 *
 * <p>One instance per thread, reused for every message: it is mutable and not thread-safe.
 */
public final class QueryView {
    /** RFC 6891 §6.1.2: the fixed part of the OPT RR after its one-octet root owner name. */
    private static final int OPT_FIXED = 1 + 10;
    /** RFC 6891 §6.1.3: the DO bit in the OPT TTL. */
    private static final int DO_BIT = Edns.DO_BIT;

    private MemorySegment wire;
    private int length;
    private int qnameLength;
    private int labelCount;
    /** Offsets, from the start of the message, of each label's length octet, most specific first. */
    private final int[] labelStart = new int[Name.MAX_WIRE / 2 + 1];
    private int qtype;
    private int qclass;
    private boolean opt;
    private int optUdpSize;
    private int optTtl;
    /** Where the OPT RDATA (its options) starts; the options run to the end of the message. */
    private int optionsStart;

    /**
     * Checks {@code message} as the query this view describes. Reads only; the caller keeps the
     * segment and must not change it while using the view.
     *
     * @return true if it is one; then the accessors describe it until the next {@code wrap}
     */
    public boolean wrap(MemorySegment message) {
        wire = null;
        long size = message.byteSize();
        if (size < Header.LENGTH || size > MessageReader.MAX_MESSAGE) {
            return false;
        }
        int end = (int) size;
        if (u16(message, Header.QDCOUNT) != 1 || u16(message, Header.ANCOUNT) != 0
                || u16(message, Header.NSCOUNT) != 0) {
            return false;
        }
        int arcount = u16(message, Header.ARCOUNT);
        if (arcount > 1) {
            return false;
        }
        int p = Header.LENGTH;
        int labels = 0;
        int wireLength = 1;
        while (true) {
            if (p >= end) {
                return false;
            }
            int b = u8(message, p);
            if (b == 0) {
                p++;
                break;
            }
            if (b > Name.MAX_LABEL) {
                return false; // a pointer or a reserved label type: the general path decides
            }
            // RFC 1035 §2.3.4: "names ... 255 octets or less".
            wireLength += 1 + b;
            if (wireLength > Name.MAX_WIRE || p + 1 + b > end) {
                return false;
            }
            labelStart[labels++] = p;
            p += 1 + b;
        }
        if (p + 4 > end) {
            return false;
        }
        int type = u16(message, p);
        int cls = u16(message, p + 2);
        p += 4;
        boolean hasOpt = false;
        int udpSize = 0;
        int ttl = 0;
        int options = 0;
        if (arcount == 1) {
            // RFC 6891 §6.1.2: the OPT NAME "MUST be 0 (root domain)"; any other record goes the
            // general way.
            if (p + OPT_FIXED > end || u8(message, p) != 0 || u16(message, p + 1) != RRType.OPT) {
                return false;
            }
            udpSize = u16(message, p + 3);
            ttl = message.get(Header.U32, p + 5);
            int rdlength = u16(message, p + 9);
            p += OPT_FIXED;
            options = p;
            if (p + rdlength != end) {
                return false;
            }
            // The options are not used here, but they must be well formed, as MessageReader wants.
            int rdEnd = end;
            while (p < rdEnd) {
                if (rdEnd - p < 4 || p + 4 + u16(message, p + 2) > rdEnd) {
                    return false;
                }
                p += 4 + u16(message, p + 2);
            }
            hasOpt = true;
        }
        // RFC 1035 §4.1: nothing follows the counted sections (MessageReader refuses it too).
        if (p != end) {
            return false;
        }
        this.wire = message;
        this.length = end;
        this.labelCount = labels;
        this.qnameLength = wireLength;
        this.qtype = type;
        this.qclass = cls;
        this.opt = hasOpt;
        this.optUdpSize = udpSize;
        this.optTtl = ttl;
        this.optionsStart = options;
        return true;
    }

    /** The segment last wrapped successfully. */
    public MemorySegment wire() {
        return wire;
    }

    /** The message's length in octets. */
    public int length() {
        return length;
    }

    public int id() {
        return u16(wire, Header.ID);
    }

    /** The second 16-bit word of the header (RFC 1035 §4.1.1). */
    public int flags() {
        return u16(wire, Header.FLAGS);
    }

    public boolean qr() {
        return (flags() & Header.QR) != 0;
    }

    public int opcode() {
        return (flags() >>> Header.OPCODE_SHIFT) & 0xf;
    }

    public boolean rd() {
        return (flags() & Header.RD) != 0;
    }

    public boolean cd() {
        return (flags() & Header.CD) != 0;
    }

    /** Where QNAME starts in the message: right after the header. */
    public int qnameOffset() {
        return Header.LENGTH;
    }

    /** QNAME's wire length, root label included (at most 255). */
    public int qnameLength() {
        return qnameLength;
    }

    /** Number of labels in QNAME, the root not counted. */
    public int labelCount() {
        return labelCount;
    }

    /** Offset in the message of the length octet of label {@code i} (0 is the leftmost). */
    public int labelStart(int i) {
        return labelStart[i];
    }

    /** Wire length of the suffix of QNAME that starts at label {@code i} ({@code labelCount()} is the root). */
    public int suffixLength(int i) {
        return i == labelCount ? 1 : Header.LENGTH + qnameLength - labelStart[i];
    }

    /** Offset in the message of the suffix that starts at label {@code i}. */
    public int suffixStart(int i) {
        return i == labelCount ? Header.LENGTH + qnameLength - 1 : labelStart[i];
    }

    public int qtype() {
        return qtype;
    }

    public int qclass() {
        return qclass;
    }

    /** True if the query carries an OPT record (RFC 6891). */
    public boolean hasOpt() {
        return opt;
    }

    /** RFC 6891 §6.1.2: the requestor's UDP payload size, from the OPT CLASS; 0 without OPT. */
    public int optUdpPayloadSize() {
        return optUdpSize;
    }

    /** RFC 6891 §6.1.3: the EDNS VERSION; 0 without OPT. */
    public int optVersion() {
        return (optTtl >>> 16) & 0xff;
    }

    /** RFC 3225 §3: the DO bit; false without OPT. */
    public boolean optDnssecOk() {
        return (optTtl & DO_BIT) != 0;
    }

    /**
     * True if the OPT record carries an option with {@code code} (RFC 6891 §6.1.2), whatever its
     * length; false without OPT. Reads the options in place, allocating nothing.
     */
    public boolean hasOption(int code) {
        if (!opt) {
            return false;
        }
        // wrap checked that the options tile the RDATA exactly.
        for (int p = optionsStart; p < length; p += 4 + u16(wire, p + 2)) {
            if (u16(wire, p) == code) {
                return true;
            }
        }
        return false;
    }

    /** The octet at {@code offset} of the message, unsigned. */
    public int byteAt(int offset) {
        return u8(wire, offset);
    }

    private static int u8(MemorySegment m, long offset) {
        return Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, offset));
    }

    private static int u16(MemorySegment m, long offset) {
        return Short.toUnsignedInt(m.get(Header.U16, offset));
    }
}
