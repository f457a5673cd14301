package atoll.dns.zone;

import atoll.dns.zone.MasterFileLexer.Entry;
import atoll.dns.zone.MasterFileLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIND's {@code $GENERATE range lhs [ttl] [class] type rhs} (not in RFC 1035; BIND 9 ARM, "BIND
 * Primary File Extension: the $GENERATE Directive"), also read by Knot and NSD: one record per
 * value of the range, {@code $} in {@code lhs} and {@code rhs} replaced by the value.
 *
 * <ul>
 *   <li>range: {@code start-stop} or {@code start-stop/step}, ASCII digits, start ≤ stop, at most
 *       {@link #MAX_RECORDS} records;
 *   <li>{@code $} is the value in decimal; {@code ${offset[,width[,base]]}} adds the offset (may be
 *       negative), pads with zeros to the width, and writes base {@code d}, {@code o}, {@code x} or
 *       {@code X}; {@code \$} is a literal {@code $}. The nibble bases {@code n} and {@code N} are
 *       refused.
 * </ul>
 */
final class Generate {
    private Generate() {}

    /** Bounds what one line may add to a zone. */
    static final int MAX_RECORDS = 65536;

    private static final Pattern RANGE = Pattern.compile("([0-9]{1,10})-([0-9]{1,10})(?:/([0-9]{1,10}))?");
    private static final Pattern MODIFIER = Pattern.compile("\\{(-?[0-9]{1,10})(?:,([0-9]{1,3})(?:,([doxX]))?)?}");

    static void expand(ZoneFileParser p, Entry e) throws ZoneFileException {
        List<Token> t = e.tokens();
        if (t.size() < 5) {
            throw p.error(e.line(), "$GENERATE needs a range, an owner, a type and RDATA");
        }
        Matcher m = RANGE.matcher(t.get(1).text());
        if (t.get(1).quoted() || !m.matches()) {
            throw p.error(e.line(), "bad $GENERATE range '" + ZoneFileParser.shown(t.get(1).text())
                    + "' (start-stop or start-stop/step)");
        }
        long start = Long.parseLong(m.group(1));
        long stop = Long.parseLong(m.group(2));
        long step = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
        if (start > stop || step == 0 || (stop - start) / step + 1 > MAX_RECORDS) {
            throw p.error(e.line(), "bad $GENERATE range '" + t.get(1).text() + "' (start above stop, step 0,"
                    + " or more than " + MAX_RECORDS + " records)");
        }
        for (long v = start; v <= stop; v += step) {
            List<Token> line = new ArrayList<>(t.size() - 2);
            for (Token tok : t.subList(2, t.size())) {
                line.add(tok.quoted() ? tok : new Token(substitute(p, tok, v), false, tok.line()));
            }
            p.record(new Entry(e.line(), false, line));
        }
    }

    private static String substitute(ZoneFileParser p, Token tok, long value) throws ZoneFileException {
        String s = tok.text();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (c == '\\' && i + 1 < s.length()) {
                out.append(c).append(s.charAt(i + 1)); // other escapes are the name parser's
                i++;
            } else if (c != '$') {
                out.append(c);
            } else if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int close = s.indexOf('}', i);
                Matcher m = close < 0 ? null : MODIFIER.matcher(s.substring(i + 1, close + 1));
                if (m == null || !m.matches()) {
                    throw p.error(tok.line(), "bad $GENERATE modifier in '" + ZoneFileParser.shown(s)
                            + "' (${offset[,width[,base]]}, base d, o, x or X)");
                }
                long v = value + Long.parseLong(m.group(1));
                if (v < 0) {
                    throw p.error(tok.line(), "$GENERATE offset makes a negative value in '" + s + "'");
                }
                int width = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                String base = m.group(3) == null ? "d" : m.group(3);
                String digits = switch (base) {
                    case "o" -> Long.toOctalString(v);
                    case "x" -> Long.toHexString(v);
                    case "X" -> Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
                    default -> Long.toString(v);
                };
                out.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
                i = close;
            } else {
                out.append(value);
            }
        }
        return out.toString();
    }
}
