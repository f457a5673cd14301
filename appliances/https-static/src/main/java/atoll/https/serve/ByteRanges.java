package atoll.https.serve;

import java.util.ArrayList;
import java.util.List;

/**
 * The Range header's byte ranges (RFC 9110 §14.1.2), resolved against a representation's length.
 *
 * <pre>
 *   ranges-specifier = range-unit "=" range-set
 *   range-set        = 1#range-spec
 *   int-range        = first-pos "-" [ last-pos ]
 *   suffix-range     = "-" suffix-length
 * </pre>
 */
final class ByteRanges {
    /** More ranges than this in one request are ignored (RFC 9110 §14.2: a server "MAY ignore" Range). */
    static final int MAX_RANGES = 16;

    /** An inclusive range of octets. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    /** The outcome of {@link #resolve}. */
    sealed interface Outcome {}

    /** Serve the whole representation (no Range, a unit other than bytes, bad syntax, or too many). */
    record Ignore() implements Outcome {}

    /** RFC 9110 §14.1.1: no range overlaps the representation: 416. */
    record Unsatisfiable() implements Outcome {}

    /** The satisfiable ranges, in the order asked. */
    record Satisfiable(List<Range> ranges) implements Outcome {}

    static Outcome resolve(String header, long length) {
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Ignore();
        }
        String[] specs = h.substring(6).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return new Ignore();
        }
        List<Range> out = new ArrayList<>();
        boolean any = false;
        for (String raw : specs) {
            String s = raw.strip();
            if (s.isEmpty()) {
                continue; // RFC 9110 §5.6.1: empty list elements are ignored
            }
            int dash = s.indexOf('-');
            if (dash < 0) {
                return new Ignore();
            }
            String a = s.substring(0, dash);
            String b = s.substring(dash + 1);
            if (!digits(a) && !a.isEmpty() || !digits(b) && !b.isEmpty() || (a.isEmpty() && b.isEmpty())) {
                return new Ignore();
            }
            any = true;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix > 0 && length > 0) {
                    out.add(new Range(Math.max(0, length - suffix), length - 1));
                }
            } else {
                long first = Long.parseLong(a);
                long last = b.isEmpty() ? length - 1 : Long.parseLong(b);
                if (!b.isEmpty() && last < first) {
                    return new Ignore(); // RFC 9110 §14.1.1: invalid int-range
                }
                if (first < length) {
                    out.add(new Range(first, Math.min(last, length - 1)));
                }
            }
        }
        if (!any) {
            return new Ignore();
        }
        return out.isEmpty() ? new Unsatisfiable() : new Satisfiable(List.copyOf(out));
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
