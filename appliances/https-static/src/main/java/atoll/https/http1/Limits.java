package atoll.https.http1;

/**
 * Bounds on what a client may send before the server gives up (RFC 9112 §3: "A server that
 * receives a request-target longer than any URI it wishes to parse MUST respond with a 414";
 * RFC 6585 §5: 431 for header fields too large).
 *
 * @param maxRequestLine longest request line, CRLF excluded (over it: 414)
 * @param maxHeaderBytes longest header section, request line included (over it: 431)
 * @param maxHeaderFields most header field lines (over it: 431)
 */
public record Limits(int maxRequestLine, int maxHeaderBytes, int maxHeaderFields) {
    public Limits {
        if (maxRequestLine < 16 || maxHeaderBytes < maxRequestLine || maxHeaderFields < 1) {
            throw new IllegalArgumentException("bad limits " + maxRequestLine + "/" + maxHeaderBytes + "/"
                    + maxHeaderFields);
        }
    }

    /** nginx's defaults are 8 KiB lines in 4 buffers; these are comparable. */
    public static final Limits DEFAULT = new Limits(8192, 16384, 100);
}
