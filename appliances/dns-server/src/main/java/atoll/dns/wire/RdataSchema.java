package atoll.dns.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The field layout of the record types served as octets ({@link Rdata.Unknown}) but written and
 * read in their own presentation form: DNAME, NAPTR, CAA, SSHFP, TLSA, DS, DNSKEY, RRSIG, NSEC,
 * NSEC3 and NSEC3PARAM. None of them has a compressible name in its RDATA (RFC 3597 §4; DNAME: RFC
 * 6672 §2.5; the DNSSEC types: RFC 4034 §§3-5), so the octets are what goes on the wire, unchanged,
 * on the general and on the prepared answer path alike. This class turns the octets into
 * presentation form; the zone parser turns presentation form into octets with the same layout.
 */
public final class RdataSchema {
    private RdataSchema() {}

    /** One RDATA field, in wire order. */
    public enum Field {
        /** An unsigned octet, decimal. */
        U8,
        /** An unsigned 16-bit number, decimal. */
        U16,
        /** An unsigned 32-bit number, decimal. */
        U32,
        /** A TYPE shown as its mnemonic (RRSIG type covered, RFC 4034 §3.2). */
        TYPE,
        /** RFC 4034 §3.2: seconds since 1970 as {@code YYYYMMDDHHmmSS} in UTC. */
        TIME,
        /** An uncompressed domain name. */
        NAME,
        /** RFC 1035 §3.3 character-string, quoted. */
        STRING,
        /** RFC 8659 §4.1: the CAA tag, a length octet and ASCII letters and digits, unquoted. */
        TAG,
        /** RFC 8659 §4.1.1: the CAA value, the rest of the RDATA, as one quoted string. */
        STRING_REST,
        /** The rest of the RDATA in hexadecimal (DS digest, TLSA data, SSHFP fingerprint). */
        HEX_REST,
        /** The rest of the RDATA in Base64 (DNSKEY public key, RRSIG signature). */
        BASE64_REST,
        /** RFC 5155 §3.3: a length octet and that many octets in hex, {@code -} when empty (salt). */
        HEX8,
        /** RFC 5155 §3.3: a length octet and that many octets in Base32hex (next hashed owner). */
        BASE32HEX8,
        /** RFC 4034 §4.1.2: the type bit maps, the rest of the RDATA, shown as mnemonics. */
        BITMAP
    }


    private static final Map<Integer, List<Field>> LAYOUT = Map.ofEntries(
            // RFC 6672 §2.1: DNAME target.
            Map.entry(RRType.DNAME, List.of(Field.NAME)),
            // RFC 3403 §4.1: ORDER PREFERENCE FLAGS SERVICES REGEXP REPLACEMENT.
            Map.entry(RRType.NAPTR, List.of(Field.U16, Field.U16, Field.STRING, Field.STRING, Field.STRING, Field.NAME)),
            // RFC 4034 §5.1: Key Tag, Algorithm, Digest Type, Digest.
            Map.entry(RRType.DS, List.of(Field.U16, Field.U8, Field.U8, Field.HEX_REST)),
            // RFC 4255 §3.1: algorithm, fingerprint type, fingerprint.
            Map.entry(RRType.SSHFP, List.of(Field.U8, Field.U8, Field.HEX_REST)),
            // RFC 4034 §3.1: Type Covered, Algorithm, Labels, Original TTL, Expiration, Inception,
            // Key Tag, Signer's Name, Signature.
            Map.entry(RRType.RRSIG, List.of(Field.TYPE, Field.U8, Field.U8, Field.U32, Field.TIME, Field.TIME,
                    Field.U16, Field.NAME, Field.BASE64_REST)),
            // RFC 4034 §4.1: Next Domain Name, Type Bit Maps.
            Map.entry(RRType.NSEC, List.of(Field.NAME, Field.BITMAP)),
            // RFC 4034 §2.1: Flags, Protocol, Algorithm, Public Key.
            Map.entry(RRType.DNSKEY, List.of(Field.U16, Field.U8, Field.U8, Field.BASE64_REST)),
            // RFC 5155 §3.2: Hash Alg., Flags, Iterations, Salt, Next Hashed Owner, Type Bit Maps.
            Map.entry(RRType.NSEC3, List.of(Field.U8, Field.U8, Field.U16, Field.HEX8, Field.BASE32HEX8, Field.BITMAP)),
            // RFC 5155 §4.2: Hash Alg., Flags, Iterations, Salt.
            Map.entry(RRType.NSEC3PARAM, List.of(Field.U8, Field.U8, Field.U16, Field.HEX8)),
            // RFC 6698 §2.1: Cert. Usage, Selector, Matching Type, Certificate Association Data.
            Map.entry(RRType.TLSA, List.of(Field.U8, Field.U8, Field.U8, Field.HEX_REST)),
            // RFC 8659 §4.1: Flags, Tag Length + Tag, Value.
            Map.entry(RRType.CAA, List.of(Field.U8, Field.TAG, Field.STRING_REST)));

    /** The layout of {@code type}, or {@code null} if it is served only in RFC 3597 generic form. */
    public static List<Field> layout(int type) {
        return LAYOUT.get(type);
    }

    /** RFC 4648 §7, the "Extended Hex" alphabet, as RFC 5155 §3.3 uses it. */
    static final String BASE32HEX = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    /** RFC 4034 §3.2: YYYYMMDDHHmmSS. */
    private static final DateTimeFormatter TIME_FORMAT =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withZone(ZoneOffset.UTC);

    /**
     * The presentation form of RDATA octets of a type with a layout.
     *
     * @throws IllegalArgumentException if the octets do not fit the layout (the caller shows the
     *     RFC 3597 generic form instead, or refuses the record)
     */
    public static String format(int type, byte[] d) {
        List<Field> layout = LAYOUT.get(type);
        if (layout == null) {
            throw new IllegalArgumentException("no layout for " + RRType.name(type));
        }
        List<String> out = new ArrayList<>(layout.size());
        int[] pos = {0};
        for (Field f : layout) {
            out.add(field(f, d, pos));
        }
        if (pos[0] != d.length) {
            throw new IllegalArgumentException((d.length - pos[0]) + " octets left over");
        }
        return String.join(" ", out).strip();
    }

    private static String field(Field f, byte[] d, int[] pos) {
        return switch (f) {
            case U8 -> Integer.toString(take(d, pos, 1)[0] & 0xff);
            case U16 -> Long.toString(number(take(d, pos, 2)));
            case U32 -> Long.toString(number(take(d, pos, 4)));
            case TYPE -> RRType.name((int) number(take(d, pos, 2)));
            case TIME -> TIME_FORMAT.format(Instant.ofEpochSecond(number(take(d, pos, 4))));
            case NAME -> name(d, pos).toString();
            case STRING -> quoted(take(d, pos, take(d, pos, 1)[0] & 0xff));
            case TAG -> {
                byte[] tag = take(d, pos, take(d, pos, 1)[0] & 0xff);
                // RFC 8659 §4.1: "Tag values MAY contain US-ASCII characters 'a' through 'z', 'A'
                // through 'Z', and the numbers 0 through 9"; the length is at least 1.
                if (tag.length == 0) {
                    throw new IllegalArgumentException("empty CAA tag");
                }
                for (byte b : tag) {
                    if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9'))) {
                        throw new IllegalArgumentException("CAA tag holds a character other than a-z, A-Z, 0-9");
                    }
                }
                yield new String(tag, StandardCharsets.US_ASCII);
            }
            case STRING_REST -> quoted(take(d, pos, d.length - pos[0]));
            case HEX_REST -> HexFormat.of().withUpperCase().formatHex(take(d, pos, d.length - pos[0]));
            case BASE64_REST -> Base64.getEncoder().encodeToString(take(d, pos, d.length - pos[0]));
            case HEX8 -> {
                byte[] salt = take(d, pos, take(d, pos, 1)[0] & 0xff);
                yield salt.length == 0 ? "-" : HexFormat.of().withUpperCase().formatHex(salt);
            }
            case BASE32HEX8 -> base32hex(take(d, pos, take(d, pos, 1)[0] & 0xff));
            case BITMAP -> bitmap(take(d, pos, d.length - pos[0]));
        };
    }

    private static byte[] take(byte[] d, int[] pos, int n) {
        if (n > d.length - pos[0]) {
            throw new IllegalArgumentException("truncated RDATA");
        }
        byte[] b = java.util.Arrays.copyOfRange(d, pos[0], pos[0] + n);
        pos[0] += n;
        return b;
    }

    private static long number(byte[] b) {
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    /**
     * The target of a DNAME record's RDATA (RFC 6672 §2.1: one uncompressed domain name).
     *
     * @throws IllegalArgumentException if the octets are not one name (the zone parser has
     *     already checked every DNAME against this layout)
     */
    public static Name dnameTarget(byte[] rdata) {
        int[] pos = {0};
        Name target = name(rdata, pos);
        if (pos[0] != rdata.length) {
            throw new IllegalArgumentException("octets after the DNAME target");
        }
        return target;
    }

    /** RFC 1035 §3.1 labels to the root label; no compression pointers (RFC 3597 §4). */
    private static Name name(byte[] d, int[] pos) {
        List<byte[]> labels = new ArrayList<>();
        while (true) {
            int len = take(d, pos, 1)[0] & 0xff;
            if (len == 0) {
                return Name.of(labels);
            }
            if (len > Name.MAX_LABEL) {
                throw new IllegalArgumentException("compressed or bad label length " + len);
            }
            labels.add(take(d, pos, len));
        }
    }

    /** RFC 1035 §5.1 quoted string: {@code \"}, {@code \\} and {@code \DDD} escapes. */
    private static String quoted(byte[] s) {
        StringBuilder sb = new StringBuilder(s.length + 2).append('"');
        for (byte b : s) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append('\\').append(String.format("%03d", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append('"').toString();
    }

    static String base32hex(byte[] b) {
        StringBuilder sb = new StringBuilder((b.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32HEX.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            // RFC 5155 §3.3: no padding in presentation form.
            sb.append(BASE32HEX.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /**
     * RFC 4034 §4.1.2: window blocks of (window number, bitmap length 1-32, bitmap), windows in
     * increasing order; "Blocks with no types present MUST NOT be included."
     */
    private static String bitmap(byte[] d) {
        StringBuilder sb = new StringBuilder();
        int pos = 0;
        int lastWindow = -1;
        while (pos < d.length) {
            if (d.length - pos < 2) {
                throw new IllegalArgumentException("truncated type bit map");
            }
            int window = d[pos] & 0xff;
            int len = d[pos + 1] & 0xff;
            if (window <= lastWindow || len < 1 || len > 32 || d.length - pos - 2 < len) {
                throw new IllegalArgumentException("bad type bit map window");
            }
            lastWindow = window;
            boolean any = false;
            for (int i = 0; i < len; i++) {
                int bits = d[pos + 2 + i] & 0xff;
                for (int j = 0; j < 8; j++) {
                    if ((bits & (0x80 >> j)) != 0) {
                        any = true;
                        if (!sb.isEmpty()) {
                            sb.append(' ');
                        }
                        sb.append(RRType.name(window * 256 + i * 8 + j));
                    }
                }
            }
            if (!any) {
                throw new IllegalArgumentException("empty type bit map window");
            }
            pos += 2 + len;
        }
        return sb.toString();
    }

    /** RFC 4034 §4.1.2: the bit map octets for a set of types (each 0-65535). */
    public static byte[] bitmap(java.util.SortedSet<Integer> types) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int window = -1;
        byte[] bits = new byte[32];
        int len = 0;
        for (int t : types) {
            if (t >> 8 != window) {
                if (window >= 0) {
                    out.write(window);
                    out.write(len);
                    out.write(bits, 0, len);
                }
                window = t >> 8;
                bits = new byte[32];
                len = 0;
            }
            int low = t & 0xff;
            bits[low >> 3] |= (byte) (0x80 >> (low & 7));
            len = Math.max(len, (low >> 3) + 1);
        }
        if (window >= 0) {
            out.write(window);
            out.write(len);
            out.write(bits, 0, len);
        }
        return out.toByteArray();
    }
}
