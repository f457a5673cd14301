package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.RdataSchema;
import atoll.dns.wire.RdataSchema.Field;
import atoll.dns.zone.MasterFileLexer.Token;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * Presentation form to RDATA octets for the types with an {@link RdataSchema} layout (DNAME,
 * NAPTR, CAA, SSHFP, TLSA, DS, DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM). The result is an
 * {@link Rdata.Unknown} holding exactly the octets served; names are written uncompressed and in
 * the case the file gives them.
 */
final class TypedRdataParser {
    private final ZoneFileParser p;
    private final ZoneFileParser.Fields f;
    private final int type;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TypedRdataParser(ZoneFileParser p, ZoneFileParser.Fields f, int type) {
        this.p = p;
        this.f = f;
        this.type = type;
    }

    Rdata parse() throws ZoneFileException {
        int line = 0;
        for (Field field : RdataSchema.layout(type)) {
            line = field(field);
        }
        byte[] data = out.toByteArray();
        if (data.length > 0xffff) {
            throw p.error(line, RRType.name(type) + " RDATA longer than 65535 octets");
        }
        return new Rdata.Unknown(type, data);
    }

    private String what(Field field) {
        return RRType.name(type) + " " + field.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes one field; returns the line of its last token. */
    private int field(Field field) throws ZoneFileException {
        switch (field) {
            case U8 -> {
                Token t = f.next(what(field));
                out.write((int) p.number(t, what(field), 0xff));
                return t.line();
            }
            case U16 -> {
                Token t = f.next(what(field));
                u16((int) p.number(t, what(field), 0xffff));
                return t.line();
            }
            case U32 -> {
                Token t = f.next(what(field));
                u32(p.number(t, what(field), 0xffffffffL));
                return t.line();
            }
            case TYPE -> {
                Token t = f.next("type covered");
                int covered = t.quoted() ? -1 : RRType.parse(t.text());
                if (covered < 0) {
                    throw p.error(t.line(), "unknown type '" + ZoneFileParser.shown(t.text()) + "'");
                }
                u16(covered);
                return t.line();
            }
            case TIME -> {
                Token t = f.next("signature time");
                u32(time(t));
                return t.line();
            }
            case NAME -> {
                Token t = f.next("domain name");
                name(p.name(t));
                return t.line();
            }
            case STRING -> {
                Token t = f.next("character-string");
                byte[] s = p.characterString(t).getBytes(StandardCharsets.ISO_8859_1);
                out.write(s.length);
                out.writeBytes(s);
                return t.line();
            }
            case TAG -> {
                Token t = f.next("CAA tag");
                String tag = t.text();
                // RFC 8659 §4.1: the tag is 1 or more of a-z, A-Z, 0-9 (the length octet bounds it).
                if (t.quoted() || tag.isEmpty() || tag.length() > 255
                        || !tag.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                                || (c >= '0' && c <= '9'))) {
                    throw p.error(t.line(), "bad CAA tag '" + ZoneFileParser.shown(tag) + "'");
                }
                out.write(tag.length());
                out.writeBytes(tag.getBytes(StandardCharsets.US_ASCII));
                return t.line();
            }
            case STRING_REST -> {
                // RFC 8659 §4.1.1: the value is one string, quoted or not, not length-prefixed and
                // so not bounded by 255 octets.
                Token t = f.next("CAA value");
                out.writeBytes(p.octets(t).getBytes(StandardCharsets.ISO_8859_1));
                return t.line();
            }
            case HEX_REST -> {
                Token first = f.next(what(field));
                StringBuilder hex = new StringBuilder(first.text());
                int last = first.line();
                while (f.hasNext()) {
                    Token t = f.next(what(field));
                    hex.append(t.text());
                    last = t.line();
                }
                out.writeBytes(hex(first, hex.toString()));
                return last;
            }
            case BASE64_REST -> {
                Token first = f.next(what(field));
                StringBuilder b64 = new StringBuilder(first.text());
                int last = first.line();
                while (f.hasNext()) {
                    Token t = f.next(what(field));
                    b64.append(t.text());
                    last = t.line();
                }
                try {
                    out.writeBytes(Base64.getDecoder().decode(b64.toString()));
                } catch (IllegalArgumentException ex) {
                    throw p.error(first.line(), "bad Base64 in the " + RRType.name(type) + " RDATA: "
                            + ex.getMessage());
                }
                return last;
            }
            case HEX8 -> {
                Token t = f.next("salt");
                // RFC 5155 §3.3: "-" for an empty salt.
                byte[] salt = t.text().equals("-") && !t.quoted() ? new byte[0] : hex(t, t.text());
                if (salt.length > 255) {
                    throw p.error(t.line(), "salt longer than 255 octets");
                }
                out.write(salt.length);
                out.writeBytes(salt);
                return t.line();
            }
            case BASE32HEX8 -> {
                Token t = f.next("next hashed owner name");
                byte[] hash = base32hex(t);
                out.write(hash.length);
                out.writeBytes(hash);
                return t.line();
            }
            case BITMAP -> {
                // RFC 4034 §4.1.2 / RFC 5155 §3.2: the bit maps may be empty (an empty
                // non-terminal's NSEC3); any number of type mnemonics or TYPEnnn follows.
                TreeSet<Integer> types = new TreeSet<>();
                int last = 0;
                while (f.hasNext()) {
                    Token t = f.next("type");
                    int v = t.quoted() ? -1 : RRType.parse(t.text());
                    if (v < 0) {
                        throw p.error(t.line(), "unknown type '" + ZoneFileParser.shown(t.text())
                                + "' in the type bit map");
                    }
                    types.add(v);
                    last = t.line();
                }
                out.writeBytes(RdataSchema.bitmap(types));
                return last;
            }
        }
        throw new AssertionError(field);
    }

    private void u16(int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private void u32(long v) {
        out.write((int) (v >> 24));
        out.write((int) (v >> 16));
        out.write((int) (v >> 8));
        out.write((int) v);
    }

    /** RFC 3597 §4 / RFC 4034 §3.1.7: uncompressed wire form, case as written. */
    private void name(Name n) {
        for (int i = 0; i < n.labelCount(); i++) {
            out.write(n.labelLength(i));
            out.writeBytes(n.label(i));
        }
        out.write(0);
    }

    /** RFC 4034 §3.2: {@code YYYYMMDDHHmmSS} in UTC, or the seconds as an unsigned decimal. */
    private long time(Token t) throws ZoneFileException {
        String s = t.text();
        if (!t.quoted() && s.length() == 14 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                long seconds = LocalDateTime.parse(s, DateTimeFormatter.ofPattern("uuuuMMddHHmmss"))
                        .toEpochSecond(ZoneOffset.UTC);
                // RFC 4034 §3.1.5: a 32-bit serial number; later dates wrap (RFC 1982).
                return seconds & 0xffffffffL;
            } catch (DateTimeParseException ex) {
                throw p.error(t.line(), "bad signature time '" + s + "'");
            }
        }
        return p.number(t, "signature time", 0xffffffffL);
    }

    private byte[] hex(Token at, String hex) throws ZoneFileException {
        try {
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits");
            }
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException ex) {
            throw p.error(at.line(), "bad hex in the " + RRType.name(type) + " RDATA: " + ex.getMessage());
        }
    }

    /** RFC 4648 §7 Base32hex, any case, without padding (RFC 5155 §3.3). */
    private byte[] base32hex(Token t) throws ZoneFileException {
        String s = t.text().toUpperCase(java.util.Locale.ROOT);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = "0123456789ABCDEFGHIJKLMNOPQRSTUV".indexOf(s.charAt(i));
            if (v < 0) {
                throw p.error(t.line(), "bad Base32hex '" + ZoneFileParser.shown(t.text()) + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                b.write(buffer >> (bits - 8));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }
        if (bits >= 5 || buffer != 0 || b.size() > 255) {
            throw p.error(t.line(), "bad Base32hex '" + ZoneFileParser.shown(t.text()) + "'");
        }
        return b.toByteArray();
    }
}
