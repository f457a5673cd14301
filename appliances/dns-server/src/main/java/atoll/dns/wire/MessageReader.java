package atoll.dns.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a DNS message (RFC 1035 §4.1) in place from the octets of a {@link MemorySegment}: nothing
 * is copied first, each field is read where it lies. The result shares no memory with the input,
 * so the caller may release the segment as soon as {@code parse} returns; the caller owns it
 * throughout.
 *
 * <p>Any input yields a {@link Message} or a {@link DnsFormatException}: every read is preceded by
 * a length check against the end of the message, and every loop is bounded by the message length.
 *
 * <p>Policies (each with its reason at the code):
 * <ul>
 *   <li>compression pointers must point strictly before the start of the label sequence being
 *       read, at most 127 of them per name;
 *   <li>RDATA of the types modelled in {@link Rdata} must be consumed exactly by its RDLENGTH;
 *   <li>octets after the last counted record are an error;
 *   <li>a single OPT, owned by the root, in the additional section only.
 * </ul>
 */
public final class MessageReader {
    /**
     * A DNS message never exceeds 65535 octets: over TCP its length prefix is 16 bits (RFC 1035
     * §4.2.2), over UDP the datagram is smaller still. 14-bit compression offsets (RFC 1035 §4.1.4)
     * rely on messages being small too.
     */
    static final int MAX_MESSAGE = 0xffff;
    /** A 255-octet name holds at most 127 labels (RFC 1035 §2.3.4), so no more pointers are needed. */
    static final int MAX_POINTERS = 127;
    /** RFC 1035 §4.1.4: the two high bits of a length octet. 00 = label, 11 = pointer. */
    private static final int LABEL_TYPE_MASK = 0xc0;
    private static final int POINTER = 0xc0;
    /** RFC 1035 §3.2.1: TYPE, CLASS, TTL, RDLENGTH after the owner name. */
    private static final int RR_FIXED = 10;

    private final MemorySegment wire;
    private final int end;
    private int pos;
    /** Labels of the name being read; reused across names. */
    private final byte[][] labels = new byte[MAX_POINTERS + 1][];

    private MessageReader(MemorySegment wire, int end) {
        this.wire = wire;
        this.end = end;
    }

    /** {@link #parse(MemorySegment)} over a heap array, which the caller keeps. */
    public static Message parse(byte[] wire) throws DnsFormatException {
        return parse(MemorySegment.ofArray(wire));
    }

    /**
     * Parses the whole of {@code wire} as one DNS message. Reads only; the caller owns and releases
     * {@code wire}, and may do so once this returns. The segment must be alive and accessible from
     * the calling thread (else the FFM API's own exceptions, which are the caller's bug).
     *
     * @throws DnsFormatException if the octets are not a well-formed message
     */
    public static Message parse(MemorySegment wire) throws DnsFormatException {
        long size = wire.byteSize();
        if (size > MAX_MESSAGE) {
            throw new DnsFormatException("message of " + size + " octets, above 65535", 0);
        }
        return new MessageReader(wire, (int) size).message();
    }

    private Message message() throws DnsFormatException {
        if (end < Header.LENGTH) {
            throw new DnsFormatException("message shorter than the 12-octet header", 0);
        }
        Header header = Header.fromFlags(u16(Header.ID), u16(Header.FLAGS));
        int qdcount = u16(Header.QDCOUNT);
        int ancount = u16(Header.ANCOUNT);
        int nscount = u16(Header.NSCOUNT);
        int arcount = u16(Header.ARCOUNT);
        pos = Header.LENGTH;

        // Counts come from the peer: size the lists by what can really follow (a question is at
        // least 5 octets, a record at least 11), never by the claimed count.
        List<Question> questions = new ArrayList<>(Math.min(qdcount, (end - pos) / 5));
        for (int i = 0; i < qdcount; i++) {
            Name name = name();
            need(4, "question");
            questions.add(new Question(name, u16(pos), u16(pos + 2)));
            pos += 4;
        }
        List<ResourceRecord> answers = records(ancount, "answer");
        List<ResourceRecord> authorities = records(nscount, "authority");

        List<ResourceRecord> additionals = new ArrayList<>(Math.min(arcount, (end - pos) / 11));
        Edns edns = null;
        for (int i = 0; i < arcount; i++) {
            int start = pos;
            Name owner = name();
            need(RR_FIXED, "resource record");
            if (u16(pos) == RRType.OPT) {
                // RFC 6891 §6.1.1: "If a query message with more than one OPT RR is received, a
                // FORMERR (RCODE=1) MUST be returned."
                if (edns != null) {
                    throw new DnsFormatException("more than one OPT record", start);
                }
                // RFC 6891 §6.1.2: the OPT NAME "MUST be 0 (root domain)".
                if (!owner.isRoot()) {
                    throw new DnsFormatException("OPT record owned by " + owner + ", not the root", start);
                }
                edns = opt();
            } else {
                additionals.add(record(owner));
            }
        }
        // RFC 1035 §4.1: a message is the header and the four sections, whose lengths the header
        // counts; no field holds anything after them. Octets left over mean the counts or a
        // length inside are wrong (or the datagram/TCP framing is), so the message is not what
        // the sender meant: reject it rather than answer a guess. (EDNS padding, RFC 7830, lives
        // inside the OPT record, so no conforming sender needs trailing octets.)
        if (pos != end) {
            throw new DnsFormatException((end - pos) + " octets after the last counted record", pos);
        }
        return new Message(header, questions, answers, authorities, additionals, edns);
    }

    private List<ResourceRecord> records(int count, String section) throws DnsFormatException {
        List<ResourceRecord> rrs = new ArrayList<>(Math.min(count, (end - pos) / 11));
        for (int i = 0; i < count; i++) {
            int start = pos;
            Name owner = name();
            need(RR_FIXED, "resource record");
            if (u16(pos) == RRType.OPT) {
                // RFC 6891 §6.1.1: "The OPT RR MAY be placed anywhere within the additional data
                // section" - and only there.
                throw new DnsFormatException("OPT record in the " + section + " section", start);
            }
            rrs.add(record(owner));
        }
        return rrs;
    }

    /** The rest of a resource record after its owner name (RFC 1035 §4.1.3). */
    private ResourceRecord record(Name owner) throws DnsFormatException {
        int type = u16(pos);
        int rrClass = u16(pos + 2);
        // RFC 2181 §8: TTL is kept as the unsigned 32-bit value read; interpreting values with the
        // top bit set is the cache's business, not the codec's.
        long ttl = Integer.toUnsignedLong(wire.get(Header.U32, pos + 4));
        int rdlength = u16(pos + 8);
        pos += RR_FIXED;
        need(rdlength, "RDATA");
        int rdEnd = pos + rdlength;
        Rdata rdata = rdata(type, rrClass, rdEnd);
        if (pos != rdEnd) {
            throw new DnsFormatException("RDLENGTH " + rdlength + " does not match the "
                    + RRType.name(type) + " RDATA", rdEnd - rdlength);
        }
        return new ResourceRecord(owner, rrClass, ttl, rdata);
    }

    /** Parses RDATA from {@code pos} to {@code rdEnd}; the caller checks that all of it was used. */
    private Rdata rdata(int type, int rrClass, int rdEnd) throws DnsFormatException {
        // RFC 2136 §2.4.1, §2.4.3, §2.5.2, §2.5.3: prerequisites and deletions carry CLASS ANY or
        // NONE and RDLENGTH 0 for any TYPE. Such empty RDATA is no A, SOA, ... and is kept as is.
        if (rdEnd == pos && (rrClass == RRClass.ANY || rrClass == RRClass.NONE)) {
            return new Rdata.Unknown(type, new byte[0]);
        }
        // RFC 3597 §4: names in RDATA of the RFC 1035 types may be compressed; receivers also
        // accept compressed names in the later types (SRV) since older senders compress them.
        return switch (type) {
            case RRType.A -> new Rdata.A((Inet4Address) address(4, rdEnd));
            case RRType.AAAA -> new Rdata.AAAA((Inet6Address) address(16, rdEnd));
            case RRType.NS -> new Rdata.NS(name());
            case RRType.CNAME -> new Rdata.CNAME(name());
            case RRType.PTR -> new Rdata.PTR(name());
            case RRType.SOA -> {
                Name mname = name();
                Name rname = name();
                need(20, "SOA");
                Rdata.SOA soa = new Rdata.SOA(mname, rname, u32(pos), u32(pos + 4), u32(pos + 8),
                        u32(pos + 12), u32(pos + 16));
                pos += 20;
                yield soa;
            }
            case RRType.MX -> {
                need(2, "MX");
                int preference = u16(pos);
                pos += 2;
                yield new Rdata.MX(preference, name());
            }
            case RRType.TXT -> txt(rdEnd);
            case RRType.SRV -> {
                need(6, "SRV");
                int priority = u16(pos);
                int weight = u16(pos + 2);
                int port = u16(pos + 4);
                pos += 6;
                yield new Rdata.SRV(priority, weight, port, name());
            }
            default -> {
                byte[] data = new byte[rdEnd - pos];
                MemorySegment.copy(wire, ValueLayout.JAVA_BYTE, pos, data, 0, data.length);
                pos = rdEnd;
                yield new Rdata.Unknown(type, data);
            }
        };
    }

    private InetAddress address(int length, int rdEnd) throws DnsFormatException {
        if (rdEnd - pos != length) {
            throw new DnsFormatException("address RDATA of " + (rdEnd - pos) + " octets, not " + length, pos);
        }
        byte[] a = new byte[length];
        MemorySegment.copy(wire, ValueLayout.JAVA_BYTE, pos, a, 0, length);
        pos += length;
        try {
            // Inet6Address.getByAddress keeps an IPv4-mapped AAAA an Inet6Address (InetAddress's
            // would turn it into an Inet4Address); neither does a lookup.
            return length == 16 ? Inet6Address.getByAddress(null, a, -1) : InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError("address of checked length rejected", e);
        }
    }

    /** RFC 1035 §3.3.14: one or more character-strings, each a length octet and that many octets. */
    private Rdata txt(int rdEnd) throws DnsFormatException {
        if (pos == rdEnd) {
            throw new DnsFormatException("TXT RDATA without a character-string", pos);
        }
        List<String> strings = new ArrayList<>();
        while (pos < rdEnd) {
            int length = u8(pos);
            if (pos + 1 + length > rdEnd) {
                throw new DnsFormatException("character-string runs past RDATA", pos);
            }
            byte[] s = new byte[length];
            MemorySegment.copy(wire, ValueLayout.JAVA_BYTE, pos + 1, s, 0, length);
            strings.add(new String(s, java.nio.charset.StandardCharsets.ISO_8859_1));
            pos += 1 + length;
        }
        return new Rdata.TXT(strings);
    }

    /** The OPT RR after its owner name (RFC 6891 §6.1.2, §6.1.3). */
    private Edns opt() throws DnsFormatException {
        int udpPayloadSize = u16(pos + 2);
        int ttl = wire.get(Header.U32, pos + 4);
        int rdlength = u16(pos + 8);
        pos += RR_FIXED;
        need(rdlength, "OPT RDATA");
        int rdEnd = pos + rdlength;
        List<EdnsOption> options = new ArrayList<>();
        while (pos < rdEnd) {
            if (rdEnd - pos < 4) {
                throw new DnsFormatException("EDNS option header runs past OPT RDATA", pos);
            }
            int code = u16(pos);
            int length = u16(pos + 2);
            if (pos + 4 + length > rdEnd) {
                throw new DnsFormatException("EDNS option data runs past OPT RDATA", pos);
            }
            byte[] data = new byte[length];
            MemorySegment.copy(wire, ValueLayout.JAVA_BYTE, pos + 4, data, 0, length);
            options.add(new EdnsOption(code, data));
            pos += 4 + length;
        }
        // RFC 6891 §6.1.3: TTL = EXTENDED-RCODE(8) | VERSION(8) | DO(1) | Z(15).
        return new Edns(udpPayloadSize, ttl >>> 24, (ttl >>> 16) & 0xff, (ttl & Edns.DO_BIT) != 0, options);
    }

    /**
     * A domain name at {@code pos} (RFC 1035 §3.1, §4.1.4); leaves {@code pos} after its last
     * octet in place (the terminating zero or the first pointer).
     */
    private Name name() throws DnsFormatException {
        int start = pos;
        int p = pos;
        // Where the label sequence being read began: a pointer must land strictly before it, so
        // every jump goes backwards and reading ends (the usual defence against pointer loops).
        int sequenceStart = pos;
        int after = -1;
        int count = 0;
        int pointers = 0;
        int wireLength = 1; // the root label
        while (true) {
            if (p >= end) {
                throw new DnsFormatException("name runs past the end of the message", start);
            }
            int b = u8(p);
            switch (b & LABEL_TYPE_MASK) {
                case 0x00 -> {
                    if (b == 0) {
                        pos = after < 0 ? p + 1 : after;
                        return Name.of(Arrays.asList(labels).subList(0, count));
                    }
                    // RFC 1035 §2.3.4: "names ... 255 octets or less", counted uncompressed.
                    wireLength += 1 + b;
                    if (wireLength > Name.MAX_WIRE) {
                        throw new DnsFormatException("name longer than 255 octets", start);
                    }
                    if (p + 1 + b > end) {
                        throw new DnsFormatException("label runs past the end of the message", p);
                    }
                    byte[] label = new byte[b];
                    MemorySegment.copy(wire, ValueLayout.JAVA_BYTE, p + 1, label, 0, b);
                    labels[count++] = label; // count <= 127: each label adds at least 2 to wireLength
                    p += 1 + b;
                }
                case POINTER -> {
                    if (p + 2 > end) {
                        throw new DnsFormatException("compression pointer cut short", p);
                    }
                    int target = (b & ~LABEL_TYPE_MASK) << 8 | u8(p + 1);
                    if (target >= sequenceStart) {
                        throw new DnsFormatException("compression pointer to " + target
                                + " does not point before its name (loop or forward pointer)", p);
                    }
                    if (++pointers > MAX_POINTERS) {
                        throw new DnsFormatException("more than 127 compression pointers in a name", start);
                    }
                    if (after < 0) {
                        after = p + 2;
                    }
                    sequenceStart = target;
                    p = target;
                }
                // RFC 1035 §4.1.4: "The 10 and 01 combinations are reserved for future use."
                // (01 was the EDNS extended label type, RFC 6891 §5 deprecates it.)
                default -> throw new DnsFormatException(
                        String.format("reserved label type 0x%02x", b & LABEL_TYPE_MASK), p);
            }
        }
    }

    private void need(int n, String what) throws DnsFormatException {
        if (end - pos < n) {
            throw new DnsFormatException(what + " runs past the end of the message", pos);
        }
    }

    private int u8(int offset) {
        return Byte.toUnsignedInt(wire.get(ValueLayout.JAVA_BYTE, offset));
    }

    private int u16(int offset) {
        return Short.toUnsignedInt(wire.get(Header.U16, offset));
    }

    private long u32(int offset) {
        return Integer.toUnsignedLong(wire.get(Header.U32, offset));
    }
}
