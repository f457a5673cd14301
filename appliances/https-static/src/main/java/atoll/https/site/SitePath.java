package atoll.https.site;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request-target into a key inside the site, such that no input can name anything outside
 * it. Rules, applied in this order:
 *
 * <ol>
 *   <li>absolute-form {@code http://host/path} is reduced to its path (RFC 9112 §3.2.2); the
 *       query (after {@code ?}) is kept aside; anything else not starting with {@code /} is bad;
 *   <li>the path is split on raw {@code /}; each segment is percent-decoded (RFC 3986 §2.1) and
 *       the octets decoded as strict UTF-8 — malformed or overlong sequences (such as
 *       {@code %c0%ae} for {@code .}) are refused (RFC 3629 §3: overlong forms "MUST NOT" be
 *       decoded);
 *   <li>a decoded segment holding {@code /}, {@code \}, NUL or another control character is
 *       refused, so {@code %2f} and {@code %5c} can never act as separators;
 *   <li>{@code .} segments are dropped and {@code ..} removes the previous segment (RFC 3986
 *       §5.2.4), after decoding, so {@code %2e%2e} counts; a {@code ..} at the root is refused.
 * </ol>
 */
public final class SitePath {
    private SitePath() {}

    /** The outcome of {@link #parse}. */
    public sealed interface Outcome {}

    /**
     * A path inside the site.
     *
     * @param segments the decoded segments (no empty ones, no dots)
     * @param trailingSlash whether the path ended in {@code /} (a directory was asked for)
     * @param query the raw query after {@code ?} (without it), or empty
     */
    public record Inside(List<String> segments, boolean trailingSlash, String query) implements Outcome {
        /** The store key: segments joined by {@code /}, empty for the root. */
        public String key() {
            return String.join("/", segments);
        }

        /** The path as a client may be redirected to, percent-encoded. */
        public String encodedPath() {
            StringBuilder sb = new StringBuilder("/");
            for (int i = 0; i < segments.size(); i++) {
                if (i > 0) {
                    sb.append('/');
                }
                sb.append(encode(segments.get(i)));
            }
            return sb.toString();
        }
    }

    /** @param reason why, for the log */
    public record Refused(String reason) implements Outcome {}

    public static Outcome parse(String target) {
        String t = target;
        if (!t.startsWith("/")) {
            int scheme = t.indexOf("://");
            if (scheme > 0 && (t.regionMatches(true, 0, "http", 0, scheme))) {
                int slash = t.indexOf('/', scheme + 3);
                t = slash < 0 ? "/" : t.substring(slash);
            } else {
                return new Refused("request-target is not origin-form or absolute-form");
            }
        }
        String query = "";
        int q = t.indexOf('?');
        if (q >= 0) {
            query = t.substring(q + 1);
            t = t.substring(0, q);
        }
        if (t.indexOf('#') >= 0) {
            return new Refused("fragment in request-target");
        }
        boolean trailingSlash = t.endsWith("/");
        List<String> out = new ArrayList<>();
        String[] raw = t.substring(1).split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            String seg;
            try {
                seg = decode(raw[i]);
            } catch (IllegalArgumentException e) {
                return new Refused(e.getMessage());
            }
            for (int k = 0; k < seg.length(); k++) {
                char c = seg.charAt(k);
                if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                    return new Refused("forbidden character in a path segment");
                }
            }
            boolean last = i == raw.length - 1;
            switch (seg) {
                case "", "." -> {
                    if (last && seg.equals(".")) {
                        trailingSlash = true;
                    }
                }
                case ".." -> {
                    if (out.isEmpty()) {
                        return new Refused("path climbs above the site root");
                    }
                    out.removeLast();
                    if (last) {
                        trailingSlash = true;
                    }
                }
                default -> out.add(seg);
            }
        }
        return new Inside(List.copyOf(out), trailingSlash || out.isEmpty(), query);
    }

    /** Percent-decoding then strict UTF-8. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad percent-encoding");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path is not valid UTF-8");
        }
    }

    /** RFC 3986 §3.3 pchar: unreserved, sub-delims, ':' and '@' stay; the rest is percent-encoded. */
    static String encode(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
