package atoll.https.http1;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed HTTP/1.x request line and header section (RFC 9112 §3, §5).
 *
 * @param method the method token, case-sensitive (RFC 9110 §9.1)
 * @param target the request-target as sent (RFC 9112 §3.2)
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
 * @param fields the header fields in order
 */
public record RequestHead(String method, String target, int minorVersion, List<HeaderField> fields) {
    public RequestHead {
        fields = List.copyOf(fields);
    }

    /** The first value of a field, by case-insensitive name (RFC 9110 §5.1). */
    public Optional<String> field(String name) {
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of a field, in order. */
    public List<String> fieldValues(String name) {
        List<String> out = new ArrayList<>();
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /** Whether a comma-separated field lists {@code token} (case-insensitive), e.g. Connection: close. */
    public boolean fieldHasToken(String name, String token) {
        for (String v : fieldValues(name)) {
            for (String part : v.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * RFC 9112 §9.3: HTTP/1.1 persists unless "close" is sent; HTTP/1.0 persists only with
     * "keep-alive".
     */
    public boolean keepAlive() {
        if (fieldHasToken("Connection", "close")) {
            return false;
        }
        return minorVersion >= 1 || fieldHasToken("Connection", "keep-alive");
    }
}
