package atoll.https.http1;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/1.1 request head parser (RFC 9112 §2–§5), sans-I/O: given every octet received so far
 * on a connection (from the start of the next request), it says whether a complete request head
 * is there, and how many octets it took. It keeps no state between calls, so a request split
 * anywhere across reads parses the same way (tested at every split point); the caller keeps the
 * unconsumed octets, which is where a pipelined request begins.
 *
 * <pre>
 *   HTTP-message   = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
 *   request-line   = method SP request-target SP HTTP-version
 *   field-line     = field-name ":" OWS field-value OWS
 * </pre>
 *
 * <p>Bodies are not read: a request with one is answered and the connection closed.
 */
public final class RequestParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';

    private final Limits limits;

    public RequestParser(Limits limits) {
        this.limits = limits;
    }

    /** Parses from the start of {@code in} (whose whole size is the data received so far). */
    public ParseResult parse(MemorySegment in) {
        long size = in.byteSize();
        int pos = 0;
        // RFC 9112 §2.2: "a server that is expecting to receive and parse a request-line SHOULD
        // ignore at least one empty line (CRLF) received prior to the request-line."
        while (pos < size && pos < limits.maxRequestLine()) {
            byte b = in.get(ValueLayout.JAVA_BYTE, pos);
            if (b == LF) {
                pos++;
            } else if (b == CR && pos + 1 < size && in.get(ValueLayout.JAVA_BYTE, pos + 1) == LF) {
                pos += 2;
            } else if (b == CR && pos + 1 == size) {
                return ParseResult.INCOMPLETE;
            } else {
                break;
            }
        }
        int headStart = pos;
        long lineEnd = indexOf(in, LF, pos, Math.min(size, (long) pos + limits.maxRequestLine() + 2));
        if (lineEnd < 0) {
            if (size - pos > limits.maxRequestLine() + 1) {
                return new ParseResult.Malformed(414, "request line longer than " + limits.maxRequestLine());
            }
            return ParseResult.INCOMPLETE;
        }
        long lineContentEnd = contentEnd(in, pos, lineEnd);
        if (lineContentEnd < 0) {
            return new ParseResult.Malformed(400, "bare CR in the request line");
        }
        if (lineContentEnd - pos > limits.maxRequestLine()) {
            return new ParseResult.Malformed(414, "request line longer than " + limits.maxRequestLine());
        }
        // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
        int methodEnd = pos;
        while (methodEnd < lineContentEnd && Tokens.isTchar(in.get(ValueLayout.JAVA_BYTE, methodEnd))) {
            methodEnd++;
        }
        if (methodEnd == pos || methodEnd >= lineContentEnd || in.get(ValueLayout.JAVA_BYTE, methodEnd) != SP) {
            return new ParseResult.Malformed(400, "bad method");
        }
        int targetStart = methodEnd + 1;
        int targetEnd = targetStart;
        while (targetEnd < lineContentEnd && isTargetChar(in.get(ValueLayout.JAVA_BYTE, targetEnd))) {
            targetEnd++;
        }
        if (targetEnd == targetStart || targetEnd >= lineContentEnd || in.get(ValueLayout.JAVA_BYTE, targetEnd) != SP) {
            return new ParseResult.Malformed(400, "bad request-target");
        }
        int versionStart = targetEnd + 1;
        // HTTP-version = HTTP-name "/" DIGIT "." DIGIT (RFC 9112 §2.3)
        if (lineContentEnd - versionStart != 8 || !ascii(in, versionStart, "HTTP/")
                || !digit(in, versionStart + 5) || in.get(ValueLayout.JAVA_BYTE, versionStart + 6) != '.'
                || !digit(in, versionStart + 7)) {
            return new ParseResult.Malformed(400, "bad HTTP-version");
        }
        int major = in.get(ValueLayout.JAVA_BYTE, versionStart + 5) - '0';
        int minor = in.get(ValueLayout.JAVA_BYTE, versionStart + 7) - '0';
        if (major != 1) {
            // RFC 9110 §15.6.6: 505 for a major version the server does not support.
            return new ParseResult.Malformed(505, "HTTP major version " + major);
        }
        String method = latin1(in, pos, methodEnd);
        String target = latin1(in, targetStart, targetEnd);

        List<HeaderField> fields = new ArrayList<>();
        long p = lineEnd + 1;
        while (true) {
            long maxEnd = Math.min(size, (long) headStart + limits.maxHeaderBytes() + 2);
            long end = indexOf(in, LF, p, maxEnd);
            if (end < 0) {
                if (size - headStart > limits.maxHeaderBytes() + 1) {
                    return new ParseResult.Malformed(431, "header section longer than " + limits.maxHeaderBytes());
                }
                return ParseResult.INCOMPLETE;
            }
            long cEnd = contentEnd(in, p, end);
            if (cEnd < 0) {
                return new ParseResult.Malformed(400, "bare CR in a field line");
            }
            if (end + 1 - headStart > limits.maxHeaderBytes() + 2) {
                return new ParseResult.Malformed(431, "header section longer than " + limits.maxHeaderBytes());
            }
            if (cEnd == p) {
                ParseResult.Malformed bad = checkSemantics(minor, fields);
                if (bad != null) {
                    return bad;
                }
                return new ParseResult.Parsed(new RequestHead(method, target, Math.min(minor, 1), fields),
                        (int) (end + 1));
            }
            byte first = in.get(ValueLayout.JAVA_BYTE, p);
            if (first == SP || first == HTAB) {
                // RFC 9112 §5.2: obs-fold outside message/http "MUST either reject the message by
                // sending a 400 ... or replace each received obs-fold with one or more SP".
                return new ParseResult.Malformed(400, "obsolete line folding");
            }
            long colon = p;
            while (colon < cEnd && Tokens.isTchar(in.get(ValueLayout.JAVA_BYTE, colon))) {
                colon++;
            }
            if (colon == p || colon >= cEnd || in.get(ValueLayout.JAVA_BYTE, colon) != ':') {
                // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon ... a
                // server MUST reject, with a response status code of 400".
                return new ParseResult.Malformed(400, "bad field name");
            }
            long vs = colon + 1;
            long ve = cEnd;
            while (vs < ve && isOws(in.get(ValueLayout.JAVA_BYTE, vs))) {
                vs++;
            }
            while (ve > vs && isOws(in.get(ValueLayout.JAVA_BYTE, ve - 1))) {
                ve--;
            }
            for (long i = vs; i < ve; i++) {
                int c = in.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                // RFC 9110 §5.5: field-value is VCHAR, obs-text, SP and HTAB; "a recipient of CR,
                // LF, or NUL within a field value MUST either reject the message or replace".
                if ((c < 0x20 && c != HTAB) || c == 0x7f) {
                    return new ParseResult.Malformed(400, "control character in a field value");
                }
            }
            if (fields.size() == limits.maxHeaderFields()) {
                return new ParseResult.Malformed(431, "more than " + limits.maxHeaderFields() + " header fields");
            }
            fields.add(new HeaderField(latin1(in, p, colon), latin1(in, vs, ve)));
            p = end + 1;
        }
    }

    /** Checks that need the whole head; null if fine. */
    private static ParseResult.Malformed checkSemantics(int minor, List<HeaderField> fields) {
        int hosts = 0;
        String contentLength = null;
        boolean transferEncoding = false;
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase("Host")) {
                hosts++;
            } else if (f.name().equalsIgnoreCase("Content-Length")) {
                // RFC 9110 §8.6: Content-Length = 1*DIGIT; differing repeats are an error (RFC 9112 §6.3).
                if (!f.value().matches("[0-9]{1,18}") || (contentLength != null && !contentLength.equals(f.value()))) {
                    return new ParseResult.Malformed(400, "bad Content-Length");
                }
                contentLength = f.value();
            } else if (f.name().equalsIgnoreCase("Transfer-Encoding")) {
                transferEncoding = true;
            }
        }
        // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
        // HTTP/1.1 request message that lacks a Host header field and to any request message that
        // contains more than one Host header field line".
        if (hosts > 1 || (minor >= 1 && hosts == 0)) {
            return new ParseResult.Malformed(400, hosts == 0 ? "no Host" : "several Host fields");
        }
        // RFC 9112 §6.1: both framings at once "ought to be handled as an error"; it is the
        // classic request-smuggling vector, so refuse it.
        if (transferEncoding && contentLength != null) {
            return new ParseResult.Malformed(400, "Transfer-Encoding with Content-Length");
        }
        return null;
    }

    /** RFC 9112 §3.2: request-target characters (a URI reference: visible ASCII). */
    private static boolean isTargetChar(byte b) {
        return b > 0x20 && b < 0x7f;
    }

    private static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    private static boolean digit(MemorySegment in, long i) {
        byte b = in.get(ValueLayout.JAVA_BYTE, i);
        return b >= '0' && b <= '9';
    }

    private static boolean ascii(MemorySegment in, long at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (in.get(ValueLayout.JAVA_BYTE, at + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * End of a line's content: {@code lf}, or {@code lf - 1} when a CR precedes it (RFC 9112
     * §2.2: a recipient "MAY recognize a single LF as a line terminator"); -1 if the line holds a
     * bare CR ("A recipient that receives ... a bare CR ... MUST consider that element invalid").
     */
    private static long contentEnd(MemorySegment in, long from, long lf) {
        long end = lf > from && in.get(ValueLayout.JAVA_BYTE, lf - 1) == CR ? lf - 1 : lf;
        for (long i = from; i < end; i++) {
            if (in.get(ValueLayout.JAVA_BYTE, i) == CR) {
                return -1;
            }
        }
        return end;
    }

    private static long indexOf(MemorySegment in, byte b, long from, long to) {
        for (long i = from; i < to; i++) {
            if (in.get(ValueLayout.JAVA_BYTE, i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** Octets as ISO-8859-1 characters (RFC 9110 §5.5: obs-text is opaque data). */
    private static String latin1(MemorySegment in, long from, long to) {
        byte[] b = new byte[(int) (to - from)];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, from, b, 0, b.length);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
