package atoll.https.h2;

import atoll.https.http1.HeaderField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The HPACK static table (RFC 7541 Appendix A), indices 1 to 61. */
final class StaticTable {
    private StaticTable() {}

    static final List<HeaderField> ENTRIES = List.of(
            f(":authority", ""), f(":method", "GET"), f(":method", "POST"), f(":path", "/"),
            f(":path", "/index.html"), f(":scheme", "http"), f(":scheme", "https"), f(":status", "200"),
            f(":status", "204"), f(":status", "206"), f(":status", "304"), f(":status", "400"),
            f(":status", "404"), f(":status", "500"), f("accept-charset", ""), f("accept-encoding", "gzip, deflate"),
            f("accept-language", ""), f("accept-ranges", ""), f("accept", ""), f("access-control-allow-origin", ""),
            f("age", ""), f("allow", ""), f("authorization", ""), f("cache-control", ""),
            f("content-disposition", ""), f("content-encoding", ""), f("content-language", ""),
            f("content-length", ""), f("content-location", ""), f("content-range", ""), f("content-type", ""),
            f("cookie", ""), f("date", ""), f("etag", ""), f("expect", ""), f("expires", ""), f("from", ""),
            f("host", ""), f("if-match", ""), f("if-modified-since", ""), f("if-none-match", ""), f("if-range", ""),
            f("if-unmodified-since", ""), f("last-modified", ""), f("link", ""), f("location", ""),
            f("max-forwards", ""), f("proxy-authenticate", ""), f("proxy-authorization", ""), f("range", ""),
            f("referer", ""), f("refresh", ""), f("retry-after", ""), f("server", ""), f("set-cookie", ""),
            f("strict-transport-security", ""), f("transfer-encoding", ""), f("user-agent", ""), f("vary", ""),
            f("via", ""), f("www-authenticate", ""));

    static final int SIZE = ENTRIES.size();

    /** Index of the first entry with this name (1-based), for the encoder. */
    static final Map<String, Integer> NAME_INDEX = new HashMap<>();
    /** Index of an exact name+value entry. */
    static final Map<HeaderField, Integer> FIELD_INDEX = new HashMap<>();

    static {
        for (int i = SIZE; i >= 1; i--) {
            HeaderField e = ENTRIES.get(i - 1);
            NAME_INDEX.put(e.name(), i);
            FIELD_INDEX.put(e, i);
        }
    }

    private static HeaderField f(String name, String value) {
        return new HeaderField(name, value);
    }
}
