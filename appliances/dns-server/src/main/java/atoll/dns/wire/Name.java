package atoll.dns.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fully qualified domain name: a sequence of labels, the root (empty) label implied at the end.
 * Immutable. Equality and hashing ignore ASCII case (RFC 4343 §3); the original case is kept for
 * output (RFC 1035 §2.3.3: servers should preserve case).
 *
 * <p>Limits enforced on construction: a label is 1 to 63 octets (RFC 1035 §2.3.4), a name's wire
 * form at most 255 octets including length octets and the root label.
 */
public final class Name implements Comparable<Name> {
    /** RFC 1035 §2.3.4: labels are 63 octets or less. */
    public static final int MAX_LABEL = 63;
    /** RFC 1035 §2.3.4: names are 255 octets or less (wire form). */
    public static final int MAX_WIRE = 255;

    public static final Name ROOT = new Name(new byte[0][]);

    private final byte[][] labels;
    private final int hash;

    private Name(byte[][] labels) {
        this.labels = labels;
        int h = 1;
        for (byte[] l : labels) {
            h = 31 * h + l.length;
            for (byte b : l) {
                h = 31 * h + lower(b);
            }
        }
        this.hash = h;
    }

    /**
     * A name from its labels, most specific first, root label excluded.
     *
     * @throws IllegalArgumentException if a label is empty or too long, or the name too long
     */
    public static Name of(List<byte[]> labels) {
        byte[][] copy = new byte[labels.size()][];
        int wire = 1;
        for (int i = 0; i < copy.length; i++) {
            byte[] l = labels.get(i);
            if (l.length == 0 || l.length > MAX_LABEL) {
                throw new IllegalArgumentException("label of " + l.length + " octets (1 to 63 allowed)");
            }
            wire += 1 + l.length;
            copy[i] = l.clone();
        }
        if (wire > MAX_WIRE) {
            throw new IllegalArgumentException("name of " + wire + " octets (at most 255 allowed)");
        }
        return new Name(copy);
    }

    /**
     * Parses presentation format (RFC 1035 §5.1): labels separated by dots, {@code \X} quotes a
     * character, {@code \DDD} is an octet in decimal. A trailing dot or not makes no difference: the
     * result is always absolute ({@code "@"} and relative names are the zone parser's business).
     * {@code "."} is the root.
     *
     * @throws IllegalArgumentException on a syntax error or a limit exceeded
     */
    public static Name parse(String text) {
        if (text.equals(".")) {
            return ROOT;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        List<byte[]> labels = new ArrayList<>();
        java.io.ByteArrayOutputStream label = new java.io.ByteArrayOutputStream();
        int i = 0;
        boolean pending = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                if (label.size() == 0) {
                    throw new IllegalArgumentException("empty label in '" + text + "'");
                }
                labels.add(label.toByteArray());
                label.reset();
                pending = false;
                i++;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("dangling backslash in '" + text + "'");
                }
                char d = text.charAt(i + 1);
                // RFC 1035 §5.1: \DDD is three ASCII digits (Character.isDigit would also take
                // other scripts' digits, which Integer.parseInt then reads as numbers).
                if (isAsciiDigit(d)) {
                    if (i + 4 > text.length()
                            || !isAsciiDigit(text.charAt(i + 2))
                            || !isAsciiDigit(text.charAt(i + 3))) {
                        throw new IllegalArgumentException("bad \\DDD escape in '" + text + "'");
                    }
                    int v = Integer.parseInt(text.substring(i + 1, i + 4));
                    if (v > 255) {
                        throw new IllegalArgumentException("\\DDD escape above 255 in '" + text + "'");
                    }
                    label.write(v);
                    i += 4;
                } else {
                    if (d > 0xff) { // one octet per character, as for unescaped ones below
                        throw new IllegalArgumentException("non-Latin-1 character in '" + text + "'");
                    }
                    label.write(d);
                    i += 2;
                }
                pending = true;
            } else {
                if (c > 0xff) {
                    throw new IllegalArgumentException("non-Latin-1 character in '" + text + "'");
                }
                label.write(c);
                pending = true;
                i++;
            }
        }
        if (pending) {
            labels.add(label.toByteArray());
        }
        return of(labels);
    }

    /** Number of labels, root excluded (the root has 0). */
    public int labelCount() {
        return labels.length;
    }

    /** Label {@code i}, 0 being the most specific (leftmost). A copy. */
    public byte[] label(int i) {
        return labels[i].clone();
    }

    /** Length of label {@code i} without copying it. */
    public int labelLength(int i) {
        return labels[i].length;
    }

    /** Octet {@code j} of label {@code i}, without copying. */
    public byte labelByte(int i, int j) {
        return labels[i][j];
    }

    /** Octets of the wire form, uncompressed, root label included. */
    public int wireLength() {
        int n = 1;
        for (byte[] l : labels) {
            n += 1 + l.length;
        }
        return n;
    }

    public boolean isRoot() {
        return labels.length == 0;
    }

    /** True for a name whose leftmost label is {@code *} (RFC 4592 wildcard). */
    public boolean isWildcard() {
        return labels.length > 0 && labels[0].length == 1 && labels[0][0] == '*';
    }

    /** The name without its leftmost label; the root's parent is an error. */
    public Name parent() {
        if (labels.length == 0) {
            throw new IllegalStateException("the root has no parent");
        }
        return new Name(Arrays.copyOfRange(labels, 1, labels.length));
    }

    /** The last {@code n} labels (the ancestor with {@code n} labels). */
    public Name suffix(int n) {
        if (n < 0 || n > labels.length) {
            throw new IndexOutOfBoundsException(n);
        }
        return new Name(Arrays.copyOfRange(labels, labels.length - n, labels.length));
    }

    /** {@code label.this}. */
    public Name child(byte[] label) {
        List<byte[]> l = new ArrayList<>(labels.length + 1);
        l.add(label);
        l.addAll(Arrays.asList(labels));
        return of(l);
    }

    /** This name's labels followed by {@code origin}'s (for relative names in master files). */
    public Name concat(Name origin) {
        List<byte[]> l = new ArrayList<>(labels.length + origin.labels.length);
        l.addAll(Arrays.asList(labels));
        l.addAll(Arrays.asList(origin.labels));
        return of(l);
    }

    /** True if this name equals {@code ancestor} or lies below it. */
    public boolean isSubdomainOf(Name ancestor) {
        int n = ancestor.labels.length;
        if (n > labels.length) {
            return false;
        }
        int off = labels.length - n;
        for (int i = 0; i < n; i++) {
            if (!labelEquals(labels[off + i], ancestor.labels[i])) {
                return false;
            }
        }
        return true;
    }

    /** The same name in lower case (the DNSSEC canonical form, RFC 4034 §6.2). */
    public Name toLowerCase() {
        byte[][] l = new byte[labels.length][];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i].clone();
            for (int j = 0; j < l[i].length; j++) {
                l[i][j] = (byte) lower(l[i][j]);
            }
        }
        return new Name(l);
    }

    /** Presentation format with a trailing dot; special characters escaped (RFC 1035 §5.1). */
    @Override
    public String toString() {
        if (labels.length == 0) {
            return ".";
        }
        StringBuilder sb = new StringBuilder();
        for (byte[] l : labels) {
            for (byte b : l) {
                int v = b & 0xff;
                if (v == '.' || v == '\\' || v == '"' || v == '(' || v == ')' || v == ';'
                        || v == '@' || v == '$') {
                    sb.append('\\').append((char) v);
                } else if (v <= 0x20 || v >= 0x7f) {
                    sb.append('\\').append(String.format("%03d", v));
                } else {
                    sb.append((char) v);
                }
            }
            sb.append('.');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Name other) || other.hash != hash || other.labels.length != labels.length) {
            return false;
        }
        for (int i = 0; i < labels.length; i++) {
            if (!labelEquals(labels[i], other.labels[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * DNSSEC canonical order (RFC 4034 §6.1): compare by labels from the root down, each label as
     * lower-cased octets, shorter prefix first.
     */
    @Override
    public int compareTo(Name o) {
        int i = labels.length - 1;
        int j = o.labels.length - 1;
        while (i >= 0 && j >= 0) {
            byte[] a = labels[i--];
            byte[] b = o.labels[j--];
            int n = Math.min(a.length, b.length);
            for (int k = 0; k < n; k++) {
                int c = Integer.compare(lower(a[k]), lower(b[k]));
                if (c != 0) {
                    return c;
                }
            }
            if (a.length != b.length) {
                return Integer.compare(a.length, b.length);
            }
        }
        return Integer.compare(labels.length, o.labels.length);
    }

    private static boolean labelEquals(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (lower(a[i]) != lower(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static int lower(byte b) {
        int v = b & 0xff;
        return v >= 'A' && v <= 'Z' ? v + 32 : v;
    }

    /** The label as Latin-1 text, unescaped (for logs and tests). */
    static String labelText(byte[] label) {
        return new String(label, StandardCharsets.ISO_8859_1);
    }
}
