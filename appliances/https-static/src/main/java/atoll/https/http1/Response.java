package atoll.https.http1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 response ready to send: status, header fields and the body as slices of existing
 * arrays (a file's bytes are never copied to build a response; a multipart/byteranges body is
 * part headers interleaved with slices of the file).
 *
 * @param status the status code
 * @param fields header fields, in order (Content-Length included by the builder of the response)
 * @param body the octets after the head (empty for HEAD, 304 and the like)
 * @param close whether the connection closes after this response
 */
public record Response(int status, List<HeaderField> fields, List<Slice> body, boolean close) {
    public Response {
        fields = List.copyOf(fields);
        body = List.copyOf(body);
    }

    /** A range of an array. */
    public record Slice(byte[] bytes, int offset, int length) {
        public Slice {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        }

        public static Slice of(byte[] bytes) {
            return new Slice(bytes, 0, bytes.length);
        }

        public static Slice ascii(String s) {
            return of(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Total body octets. */
    public long bodyLength() {
        long n = 0;
        for (Slice s : body) {
            n += s.length();
        }
        return n;
    }

    /** The status line and header section, CRLF-terminated (RFC 9112 §4, §5). */
    public byte[] head() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(Status.reason(status)).append("\r\n");
        for (HeaderField f : fields) {
            sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The value of a field (first, case-insensitive), or null. */
    public String field(String name) {
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** A builder for the common case. */
    public static final class Builder {
        private final int status;
        private final List<HeaderField> fields = new ArrayList<>();
        private final List<Slice> body = new ArrayList<>();
        private boolean close;

        public Builder(int status) {
            this.status = status;
        }

        public Builder field(String name, String value) {
            fields.add(new HeaderField(name, value));
            return this;
        }

        public Builder body(Slice s) {
            body.add(s);
            return this;
        }

        public Builder close(boolean close) {
            this.close = close;
            return this;
        }

        public List<HeaderField> fields() {
            return fields;
        }

        public Response build() {
            return new Response(status, fields, body, close);
        }
    }
}
