package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.RdataSchema;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.zone.MasterFileLexer.Entry;
import atoll.dns.zone.MasterFileLexer.Token;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads an RFC 1035 §5 master file into a validated {@link Zone}.
 *
 * <p>Supported: {@code $ORIGIN}, {@code $TTL} (RFC 2308 §4), comments, parentheses across lines,
 * quoted strings with {@code \X} and {@code \DDD} escapes, {@code @}, relative names, blank owners,
 * TTL and class in either order, BIND TTL units ({@code 1w2d3h4m5s}), class IN only, types SOA, NS,
 * A, AAAA, CNAME, MX, TXT, PTR, SRV, the types with an {@link atoll.dns.wire.RdataSchema} layout
 * (read by {@link TypedRdataParser}) and any type in RFC 3597 generic form ({@code TYPE65534 \# 2
 * abcd}; a known type given that way is decoded to its typed RDATA, or checked against its layout).
 * {@code $INCLUDE} reads through an {@link Includes} that confines it (none by default),
 * {@code $GENERATE} is expanded by {@link Generate}; numbers are ASCII digits only. The zone-level
 * checks are {@link ZoneBuilder}'s.
 *
 * <p>Decisions where the RFCs leave room:
 *
 * <ul>
 *   <li>Default TTL: the {@code $TTL} value (RFC 2308 §4); without one, the last TTL stated
 *       explicitly (RFC 1035 §5.1); without one either, the SOA MINIMUM if the SOA has been read
 *       (RFC 1035's meaning, BIND does the same with a warning); otherwise an error.
 *   <li>RRset TTLs that differ (RFC 2181 §5.2 "should be considered an error"): like BIND, every
 *       record of the RRset takes the TTL of the first one in the file and a warning is recorded
 *       ({@link Zone#warnings()}); not an error, since real zones contain this.
 *   <li>Identical records are kept once (RFC 2181 §5: an RRset has no duplicates), with a warning.
 *   <li>Zone-level errors point at a line too: a missing SOA at the first record, missing apex NS at
 *       the SOA, a second SOA / CNAME beside other data at the later of the two records.
 *   <li>An unclosed {@code (} is reported at the line where it opened; an unterminated quoted
 *       string at its line (a quoted string does not span lines).
 * </ul>
 */
public final class ZoneFileParser {
    /** RFC 2181 §8: a TTL is an unsigned number from 0 to 2147483647. */
    static final long MAX_TTL = 0x7fffffffL;

    /** The file being read: the zone's, or one it includes while its {@code $INCLUDE} is read. */
    private String source;
    private final Includes includes;
    private int includeDepth;
    /** Bounds nesting, and so an {@code $INCLUDE} loop, the way BIND and NSD do. */
    static final int MAX_INCLUDE_DEPTH = 8;
    private final Name apexGiven;
    private Name origin;
    private long dollarTtl = -1;
    private long lastExplicitTtl = -1;
    private long soaMinimum = -1;
    private Name lastOwner;
    private final ZoneBuilder builder;

    private ZoneFileParser(String source, Name origin, Includes includes) {
        this.source = source;
        this.includes = includes;
        this.apexGiven = origin;
        this.builder = new ZoneBuilder(source, origin);
        this.origin = origin;
    }

    /**
     * Parses and validates a zone from the master file's octets.
     *
     * <p>RFC 1035 §5.1 defines a master file over octets, not characters: the file is never
     * decoded. Each octet is one {@code char} (0-255) of the text the lexer walks, so an octet
     * above 127 in a quoted string or a name is kept as that octet (a UTF-8 {@code "café"} is
     * served as the octets {@code c3 a9}, as BIND and NSD serve it), and any octet in a comment is
     * skipped. An octet that is wrong where it stands (in a type, a TTL, an address) is reported as
     * {@code source:line: what}, with the octet shown as a {@code \DDD} escape.
     *
     * @param octets the master file's contents
     * @param source the file name, used only in error messages
     * @param origin the zone apex and the initial origin for relative names ({@code $ORIGIN} may
     *     change the latter); if {@code null}, the apex is the owner of the SOA and relative names
     *     before a {@code $ORIGIN} are an error
     * @throws ZoneFileException on the first problem, message {@code source:line: what is wrong}
     */
    public static Zone parse(byte[] octets, String source, Name origin) throws ZoneFileException {
        return parse(octets, source, origin, Includes.NONE);
    }

    /**
     * As {@link #parse(byte[], String, Name)}, with {@code $INCLUDE} reading files through
     * {@code includes} (which confines them); errors in an included file name that file and line.
     */
    public static Zone parse(byte[] octets, String source, Name origin, Includes includes) throws ZoneFileException {
        ZoneFileParser p = new ZoneFileParser(source, origin, includes);
        p.read(octets);
        return p.builder.build();
    }

    private void read(byte[] octets) throws ZoneFileException {
        // ISO-8859-1 maps octet n to char n: a view of the octets, not a decoding.
        String text = new String(octets, StandardCharsets.ISO_8859_1);
        int start = 0;
        if (text.startsWith(UTF8_BOM)) {
            // Some editors write one; it would otherwise become part of the first owner name.
            start = UTF8_BOM.length();
        }
        for (Entry e : MasterFileLexer.entries(text.substring(start), source)) {
            entry(e);
        }
    }

    /**
     * RFC 1035 §5.1: "$INCLUDE <file-name> [<domain-name>]" reads the file in place; the optional
     * name is the included file's origin, and the origin of the file holding the {@code $INCLUDE}
     * is unchanged after it ("does not change the relative origin in the parent file"). The
     * previous owner for blank owners is restored too; a {@code $TTL} set inside stays set.
     */
    private void include(Entry e) throws ZoneFileException {
        List<Token> t = e.tokens();
        if (t.size() < 2 || t.size() > 3) {
            throw error(e.line(), "$INCLUDE needs a file name and at most an origin");
        }
        Token file = t.get(1);
        Name includedOrigin = t.size() == 3 ? name(t.get(2)) : origin;
        if (includeDepth >= MAX_INCLUDE_DEPTH) {
            throw error(e.line(), "$INCLUDE nested more than " + MAX_INCLUDE_DEPTH + " deep (a loop?)");
        }
        Includes.Included included;
        try {
            included = includes.read(file.text());
        } catch (IllegalArgumentException ex) {
            throw error(e.line(), "$INCLUDE " + shown(file.text()) + ": " + ex.getMessage());
        }
        String outerSource = source;
        Name outerOrigin = origin;
        Name outerOwner = lastOwner;
        source = included.name();
        origin = includedOrigin;
        includeDepth++;
        try {
            read(included.octets());
        } finally {
            includeDepth--;
            source = outerSource;
            origin = outerOrigin;
            lastOwner = outerOwner;
        }
    }

    /**
     * Parses {@code text} as the master file a UTF-8 editor would save it as: its UTF-8 octets go
     * to {@link #parse(byte[], String, Name)}. For tests and embedders holding a string.
     */
    public static Zone parse(String text, String source, Name origin) throws ZoneFileException {
        return parse(text.getBytes(StandardCharsets.UTF_8), source, origin);
    }

    /** The UTF-8 byte order mark EF BB BF, as the octet view {@link #parse(byte[], String, Name)} uses. */
    private static final String UTF8_BOM = "\u00ef\u00bb\u00bf";

    /**
     * An octet string from the file as error messages show it: printable ASCII as is, every other
     * octet as an RFC 1035 §5.1 {@code \DDD} escape, so that the message is one line of ASCII that
     * names the exact octet.
     */
    static String shown(String octets) {
        StringBuilder sb = null;
        for (int i = 0; i < octets.length(); i++) {
            char c = octets.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f;
            if (!plain && sb == null) {
                sb = new StringBuilder(octets.length() + 8).append(octets, 0, i);
            }
            if (!plain) {
                sb.append('\\').append(String.format("%03d", (int) c & 0xff));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? octets : sb.toString();
    }

    ZoneFileException error(int line, String problem) {
        return new ZoneFileException(source, line, problem);
    }

    private void entry(Entry e) throws ZoneFileException {
        List<Token> t = e.tokens();
        Token first = t.getFirst();
        if (!e.blankOwner() && !first.quoted() && first.text().startsWith("$")) {
            directive(e);
            return;
        }
        record(e);
    }

    /** A resource record line (not a directive). */
    void record(Entry e) throws ZoneFileException {
        List<Token> t = e.tokens();
        Token first = t.getFirst();
        int i = 0;
        Name owner;
        if (e.blankOwner()) {
            if (lastOwner == null) {
                throw error(e.line(), "line starts with a blank but there is no previous owner name");
            }
            owner = lastOwner;
        } else {
            owner = name(first);
            i = 1;
        }
        long ttl = -1;
        int rrClass = -1;
        // RFC 1035 §5.1: "<domain-name> [<TTL>] [<class>] <type> <RDATA>" or "[<class>] [<TTL>]".
        for (int k = 0; k < 2 && i < t.size(); k++) {
            Token tok = t.get(i);
            if (tok.quoted()) {
                break;
            }
            if (ttl < 0 && isAsciiDigit(tok.text().charAt(0))) {
                ttl = ttl(tok);
                i++;
            } else if (rrClass < 0 && RRClass.parse(tok.text()) >= 0) {
                rrClass = RRClass.parse(tok.text());
                if (rrClass != RRClass.IN) {
                    throw error(tok.line(), "class " + RRClass.name(rrClass) + " is not supported (only IN)");
                }
                i++;
            } else {
                break;
            }
        }
        if (i >= t.size()) {
            throw error(e.line(), "missing type");
        }
        Token typeTok = t.get(i++);
        int type = typeTok.quoted() ? -1 : RRType.parse(typeTok.text());
        if (type < 0) {
            if (!typeTok.quoted() && isAsciiDigit(typeTok.text().charAt(0))) {
                throw error(typeTok.line(), "TTL given twice ('" + shown(typeTok.text()) + "')");
            }
            throw error(typeTok.line(), "unknown type '" + shown(typeTok.text()) + "'");
        }
        // RFC 6895 §3.1: 128-255 are QTYPEs/meta-TYPEs and OPT is a pseudo-RR; none is zone data.
        if (type == RRType.OPT || (type >= 128 && type <= 255)) {
            throw error(typeTok.line(), "type " + RRType.name(type) + " cannot appear in a zone");
        }
        List<Token> rdataTokens = t.subList(i, t.size());
        Rdata rdata = rdata(type, typeTok, rdataTokens);
        if (ttl < 0) {
            if (dollarTtl >= 0) {
                ttl = dollarTtl;
            } else if (lastExplicitTtl >= 0) {
                ttl = lastExplicitTtl;
            } else if (soaMinimum >= 0) {
                ttl = soaMinimum;
            } else if (rdata instanceof Rdata.SOA) {
                throw error(e.line(), "no TTL: the SOA has none and no $TTL comes before it");
            } else {
                throw error(e.line(), "no TTL: none given and no $TTL or earlier TTL before it");
            }
        } else {
            lastExplicitTtl = ttl;
        }
        if (rdata instanceof Rdata.SOA soa && soaMinimum < 0) {
            soaMinimum = soa.minimum();
        }
        if (apexGiven != null && !owner.isSubdomainOf(apexGiven)) {
            // Reported at once, before later syntax errors (ZoneBuilder checks again when the apex
            // comes from the SOA).
            throw error(e.line(), "'" + owner + "' is out of zone '" + apexGiven + "'");
        }
        lastOwner = owner;
        builder.add(new ResourceRecord(owner, RRClass.IN, ttl, rdata), source, e.line());
    }

    private void directive(Entry e) throws ZoneFileException {
        List<Token> t = e.tokens();
        String d = t.getFirst().text().toUpperCase(Locale.ROOT);
        switch (d) {
            case "$ORIGIN" -> {
                expectArgs(e, 1);
                // RFC 1035 §5.1: the new origin may itself be relative to the current one.
                origin = name(t.get(1));
            }
            case "$TTL" -> {
                expectArgs(e, 1);
                dollarTtl = ttl(t.get(1));
            }
            case "$INCLUDE" -> include(e);
            case "$GENERATE" -> Generate.expand(this, e);
            default -> throw error(e.line(), "unknown directive '" + shown(t.getFirst().text()) + "'");
        }
    }

    private void expectArgs(Entry e, int n) throws ZoneFileException {
        List<Token> t = e.tokens();
        if (t.size() < n + 1) {
            throw error(e.line(), t.getFirst().text() + " needs an argument");
        }
        if (t.size() > n + 1) {
            throw error(t.get(n + 1).line(), "unexpected '" + shown(t.get(n + 1).text()) + "' after "
                    + t.getFirst().text());
        }
    }

    // ---- names, numbers, strings ----

    /** A domain name: {@code @} is the origin, no trailing dot means relative (RFC 1035 §5.1). */
    Name name(Token tok) throws ZoneFileException {
        String s = tok.text();
        if (tok.quoted()) {
            throw error(tok.line(), "quoted string '" + shown(s) + "' where a domain name belongs");
        }
        if (s.equals("@")) {
            if (origin == null) {
                throw error(tok.line(), "'@' used but no origin is known");
            }
            return origin;
        }
        boolean absolute = s.endsWith(".") && trailingBackslashes(s, s.length() - 1) % 2 == 0;
        try {
            if (absolute) {
                return Name.parse(s);
            }
            if (origin == null) {
                throw error(tok.line(), "relative name '" + s + "' but no origin is known");
            }
            return Name.parse(s).concat(origin);
        } catch (IllegalArgumentException ex) {
            throw error(tok.line(), "bad domain name '" + shown(s) + "': " + ex.getMessage().replace(s, shown(s)));
        }
    }

    private static int trailingBackslashes(String s, int end) {
        int n = 0;
        for (int i = end - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            n++;
        }
        return n;
    }

    /**
     * A TTL: seconds, or BIND's units {@code w d h m s} in any case ({@code 1h30m}); a final number
     * without unit counts seconds.
     */
    private long ttl(Token tok) throws ZoneFileException {
        long v = parseTtl(tok.text());
        if (v < 0) {
            throw error(tok.line(), "bad TTL '" + shown(tok.text()) + "'");
        }
        if (v > MAX_TTL) {
            throw error(tok.line(), "TTL '" + shown(tok.text()) + "' above 2147483647 (RFC 2181 §8)");
        }
        return v;
    }

    /** -1 if malformed; may exceed {@link #MAX_TTL} (the caller decides). */
    static long parseTtl(String s) {
        if (s.isEmpty() || !isAsciiDigit(s.charAt(0))) {
            return -1;
        }
        long total = 0;
        long num = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                num = (num < 0 ? 0 : num) * 10 + (c - '0');
                if (num > 0xffffffffL) {
                    return Long.MAX_VALUE;
                }
                continue;
            }
            if (num < 0) {
                return -1;
            }
            long unit = switch (Character.toLowerCase(c)) {
                case 'w' -> 604800;
                case 'd' -> 86400;
                case 'h' -> 3600;
                case 'm' -> 60;
                case 's' -> 1;
                default -> -1;
            };
            if (unit < 0) {
                return -1;
            }
            total += num * unit;
            num = -1;
            if (total > 0xffffffffL) {
                return Long.MAX_VALUE;
            }
        }
        if (num >= 0) {
            total += num;
        }
        return total;
    }

    long number(Token tok, String what, long max) throws ZoneFileException {
        String s = tok.text();
        // ASCII digits only: Character.isDigit and Long.parseLong also take other scripts' digits.
        if (tok.quoted() || s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(tok.line(), "bad " + what + " '" + shown(s) + "'");
        }
        long v = Long.parseLong(s);
        if (v > max) {
            throw error(tok.line(), what + " '" + shown(s) + "' above " + max);
        }
        return v;
    }

    /**
     * A character-string (RFC 1035 §5.1): escapes decoded, every other octet taken as it is (the
     * token's chars are octets, see {@link #parse(byte[], String, Name)}).
     */
    String characterString(Token tok) throws ZoneFileException {
        String octets = octets(tok);
        if (octets.length() > 255) {
            throw error(tok.line(), "character-string of " + octets.length() + " octets (at most 255)");
        }
        return octets;
    }

    /** A string's octets, escapes decoded, of any length (a CAA value, RFC 8659 §4.1.1). */
    String octets(Token tok) throws ZoneFileException {
        String s = tok.text();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char d = s.charAt(i + 1); // the lexer never leaves a trailing backslash
                if (d >= '0' && d <= '9') {
                    if (i + 3 >= s.length() || !isAsciiDigit(s.charAt(i + 2)) || !isAsciiDigit(s.charAt(i + 3))) {
                        throw error(tok.line(), "bad \\DDD escape in '" + shown(s) + "'");
                    }
                    int v = Integer.parseInt(s.substring(i + 1, i + 4));
                    if (v > 255) {
                        throw error(tok.line(), "\\DDD escape above 255 in '" + shown(s) + "'");
                    }
                    out.write(v);
                    i += 3;
                } else {
                    out.write(d);
                    i += 1;
                }
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- RDATA ----

    private Rdata rdata(int type, Token typeTok, List<Token> t) throws ZoneFileException {
        String typeName = RRType.name(type);
        if (!t.isEmpty() && !t.getFirst().quoted() && t.getFirst().text().equals("\\#")) {
            return generic(type, typeName, t);
        }
        Fields f = new Fields(t, typeName, typeTok.line());
        Rdata r = switch (type) {
            case RRType.A -> new Rdata.A(ipv4(f.next("address")));
            case RRType.AAAA -> new Rdata.AAAA(ipv6(f.next("address")));
            case RRType.NS -> new Rdata.NS(name(f.next("name server")));
            case RRType.CNAME -> new Rdata.CNAME(name(f.next("target")));
            case RRType.PTR -> new Rdata.PTR(name(f.next("target")));
            case RRType.MX -> new Rdata.MX((int) number(f.next("preference"), "MX preference", 0xffff),
                    name(f.next("exchange")));
            case RRType.SRV -> new Rdata.SRV(
                    (int) number(f.next("priority"), "SRV priority", 0xffff),
                    (int) number(f.next("weight"), "SRV weight", 0xffff),
                    (int) number(f.next("port"), "SRV port", 0xffff),
                    name(f.next("target")));
            case RRType.SOA -> new Rdata.SOA(name(f.next("MNAME")), name(f.next("RNAME")),
                    number(f.next("SERIAL"), "SOA SERIAL", 0xffffffffL),
                    soaTimer(f.next("REFRESH"), "REFRESH"), soaTimer(f.next("RETRY"), "RETRY"),
                    soaTimer(f.next("EXPIRE"), "EXPIRE"), soaTimer(f.next("MINIMUM"), "MINIMUM"));
            case RRType.TXT -> {
                List<String> strings = new ArrayList<>();
                strings.add(characterString(f.next("character-string")));
                while (f.hasNext()) {
                    strings.add(characterString(f.next("character-string")));
                }
                yield new Rdata.TXT(strings);
            }
            default -> {
                if (RdataSchema.layout(type) != null) {
                    yield new TypedRdataParser(this, f, type).parse();
                }
                throw error(typeTok.line(), "type " + typeName
                    + " is only supported in RFC 3597 generic form ('\\# length hex')");
            }
        };
        f.end();
        return r;
    }

    /** Walks the RDATA tokens, reporting a missing field at the entry and extra ones where they are. */
    final class Fields {
        private final List<Token> tokens;
        private final String type;
        private final int line;
        private int i;

        Fields(List<Token> tokens, String type, int line) {
            this.tokens = tokens;
            this.type = type;
            this.line = line;
        }

        boolean hasNext() {
            return i < tokens.size();
        }

        Token next(String field) throws ZoneFileException {
            if (i >= tokens.size()) {
                int at = tokens.isEmpty() ? line : tokens.getLast().line();
                throw error(at, type + " record is missing its " + field);
            }
            return tokens.get(i++);
        }

        void end() throws ZoneFileException {
            if (i < tokens.size()) {
                Token extra = tokens.get(i);
                throw error(extra.line(), "unexpected '" + shown(extra.text()) + "' after the " + type + " RDATA");
            }
        }
    }

    private long soaTimer(Token tok, String field) throws ZoneFileException {
        long v = tok.quoted() ? -1 : parseTtl(tok.text());
        if (v < 0) {
            throw error(tok.line(), "bad SOA " + field + " '" + shown(tok.text()) + "'");
        }
        if (v > 0xffffffffL) {
            throw error(tok.line(), "SOA " + field + " '" + shown(tok.text()) + "' above 4294967295");
        }
        return v;
    }

    /** Dotted-quad only (no hostnames, no short forms, no leading zeros that could read as octal). */
    private Inet4Address ipv4(Token tok) throws ZoneFileException {
        byte[] b = parseIpv4(tok.text());
        if (b == null || tok.quoted()) {
            throw error(tok.line(), "bad IPv4 address '" + shown(tok.text()) + "'");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException ex) {
            throw new AssertionError(ex); // only thrown for a wrong length
        }
    }

    static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private Inet6Address ipv6(Token tok) throws ZoneFileException {
        byte[] b = parseIpv6(tok.text());
        if (b == null || tok.quoted()) {
            throw error(tok.line(), "bad IPv6 address '" + shown(tok.text()) + "'");
        }
        return inet6(b);
    }

    private static Inet6Address inet6(byte[] b) {
        try {
            // Not InetAddress.getByAddress: it turns ::ffff:a.b.c.d into an Inet4Address.
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException ex) {
            throw new AssertionError(ex);
        }
    }

    /** RFC 4291 §2.2 text forms: eight groups, one {@code ::}, an IPv4 tail. Null if malformed. */
    static byte[] parseIpv6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (dc >= 0) {
            if (!groups(s.substring(0, dc), head, false) || !groups(s.substring(dc + 2), tail, true)) {
                return null;
            }
            if (head.size() + tail.size() > 7) {
                return null;
            }
        } else if (!groups(s, head, true) || head.size() != 8) {
            return null;
        }
        byte[] b = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            b[2 * i] = (byte) (head.get(i) >> 8);
            b[2 * i + 1] = (byte) (int) head.get(i);
        }
        int off = 8 - tail.size();
        for (int i = 0; i < tail.size(); i++) {
            b[2 * (off + i)] = (byte) (tail.get(i) >> 8);
            b[2 * (off + i) + 1] = (byte) (int) tail.get(i);
        }
        return b;
    }

    private static boolean groups(String s, List<Integer> out, boolean ipv4Tail) {
        if (s.isEmpty()) {
            return true;
        }
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (ipv4Tail && i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(p);
                if (v4 == null) {
                    return false;
                }
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return false;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) {
                    return false;
                }
                v = v * 16 + d;
            }
            out.add(v);
        }
        return true;
    }

    /** RFC 3597 §5: {@code \# <length> <hex>...}, hex possibly split into several words. */
    private Rdata generic(int type, String typeName, List<Token> t) throws ZoneFileException {
        Token hash = t.getFirst();
        if (t.size() < 2) {
            throw error(hash.line(), "generic RDATA '\\#' needs a length");
        }
        int len = (int) number(t.get(1), "generic RDATA length", 0xffff);
        StringBuilder hex = new StringBuilder();
        for (Token tok : t.subList(2, t.size())) {
            hex.append(tok.text());
        }
        byte[] data;
        try {
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits");
            }
            data = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException ex) {
            throw error(hash.line(), "bad hex in generic RDATA: " + ex.getMessage());
        }
        if (data.length != len) {
            throw error(hash.line(), "generic RDATA length " + len + " but " + data.length + " octets given");
        }
        try {
            return GenericRdata.decode(type, data);
        } catch (IllegalArgumentException ex) {
            throw error(hash.line(), "generic RDATA is not a valid " + typeName + ": " + ex.getMessage());
        }
    }
}
