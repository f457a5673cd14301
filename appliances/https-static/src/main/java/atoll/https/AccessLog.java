package atoll.https;

import atoll.https.http1.RequestHead;
import atoll.libos.net.Addresses;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per request in the combined log format (Apache's and nginx's default):
 * {@code host - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 2326 "referer" "agent"}, to the
 * logger {@code https-static.access}.
 */
final class AccessLog {
    private static final System.Logger LOG = System.getLogger("https-static.access");
    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final boolean enabled;

    AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    void log(InetSocketAddress client, Instant when, RequestHead req, String rawLineIfUnparsed, int status,
            long bytes) {
        log(client, when, req, rawLineIfUnparsed, status, bytes, req == null ? "" : "HTTP/1." + req.minorVersion());
    }

    /** @param protocol as the request line would name it ({@code HTTP/1.1}, {@code HTTP/2.0}) */
    void log(InetSocketAddress client, Instant when, RequestHead req, String rawLineIfUnparsed, int status,
            long bytes, String protocol) {
        if (!enabled) {
            return;
        }
        String line = req == null ? rawLineIfUnparsed
                : req.method() + " " + req.target() + " " + protocol;
        String referer = req == null ? "-" : req.field("Referer").orElse("-");
        String agent = req == null ? "-" : req.field("User-Agent").orElse("-");
        LOG.log(System.Logger.Level.INFO, Addresses.format(client.getAddress()) + " - - [" + CLF.format(when) + "] \""
                + escape(line) + "\" " + status + " " + (bytes == 0 ? "-" : Long.toString(bytes)) + " \""
                + escape(referer) + "\" \"" + escape(agent) + "\"");
    }

    /** Quotes and backslashes escaped, non-printable octets as \xHH (as nginx does), so a line stays one line. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\x%02X", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
