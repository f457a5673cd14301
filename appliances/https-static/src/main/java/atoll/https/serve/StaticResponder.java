package atoll.https.serve;

import atoll.https.http1.HttpDates;
import atoll.https.http1.RequestHead;
import atoll.https.http1.Response;
import atoll.https.http1.Response.Slice;
import atoll.https.site.Resource;
import atoll.https.site.Site;
import atoll.https.site.SitePath;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * HTTP semantics for a static site (RFC 9110): a request head in, a response out. A pure function
 * of the request, the site and the time given; no I/O.
 */
public final class StaticResponder {
    /** RFC 9110 §10.2.1: the methods this resource supports, for 405's Allow. */
    static final String ALLOW = "GET, HEAD";
    static final String SERVER = "atoll";

    private final Site site;
    private final ResponsePolicy policy;

    public StaticResponder(Site site, ResponsePolicy policy) {
        this.site = site;
        this.policy = policy;
    }

    /**
     * The response to {@code req}.
     *
     * @param now the wall time, for Date (RFC 9110 §6.6.1: an origin server with a clock MUST send Date)
     * @param secure whether the request came over TLS (HSTS is only sent then: RFC 6797 §7.2)
     */
    public Response respond(RequestHead req, Instant now, boolean secure) {
        boolean head = req.method().equals("HEAD");
        // A request body is never read: answer, then close so its octets are not taken for a request.
        boolean hasBody = req.field("Transfer-Encoding").isPresent()
                || req.field("Content-Length").map(v -> !v.equals("0")).orElse(false);
        boolean close = !req.keepAlive() || hasBody;
        if (!head && !req.method().equals("GET")) {
            // RFC 9110 §15.5.6: 405 "MUST generate an Allow header field".
            return error(405, now, secure, close, "Allow", ALLOW);
        }
        SitePath.Outcome path = SitePath.parse(req.target());
        if (!(path instanceof SitePath.Inside in)) {
            return error(400, now, secure, close);
        }
        String key = in.key();
        Resource file;
        if (in.trailingSlash()) {
            if (!site.isDirectory(key)) {
                return notFound(now, secure, close, head);
            }
            file = site.file(key.isEmpty() ? policy.index() : key + "/" + policy.index()).orElse(null);
        } else {
            file = site.file(key).orElse(null);
            if (file == null && site.isDirectory(key)) {
                // A directory without its slash: send the client to the slash form, so that relative
                // links in its index resolve inside it (what nginx and Apache do).
                String location = in.encodedPath() + "/" + (in.query().isEmpty() ? "" : "?" + in.query());
                Response.Builder b = base(301, now, secure).field("Location", location);
                return finish(b, Slice.ascii("Moved to " + location + "\n"), "text/plain; charset=utf-8", head, close);
            }
        }
        if (file == null) {
            return notFound(now, secure, close, head);
        }
        return serveFile(req, file, now, secure, head, close);
    }

    private Response serveFile(RequestHead req, Resource file, Instant now, boolean secure, boolean head,
            boolean close) {
        AcceptEncoding ae = AcceptEncoding.parse(req.fieldValues("Accept-Encoding"));
        byte[] body = file.body();
        String etag = file.etag();
        String coding = null;
        for (String c : List.of("br", "gzip")) {
            Optional<Resource.Variant> v = file.variant(c);
            if (v.isPresent() && ae.accepts(c)) {
                body = v.get().body();
                etag = v.get().etag();
                coding = c;
                break;
            }
        }
        Response.Builder b = base(200, now, secure);
        b.field("Last-Modified", HttpDates.format(file.lastModified())).field("ETag", etag);
        if (!file.variants().isEmpty()) {
            // RFC 9110 §12.5.5: the choice depended on Accept-Encoding.
            b.field("Vary", "Accept-Encoding");
        }
        if (notModified(req, etag, file.lastModified())) {
            // RFC 9110 §15.4.5: a 304 carries the fields a 200 would have had for caching, no body.
            Response.Builder nm = base(304, now, secure);
            nm.fields().addAll(b.fields().subList(nm.fields().size(), b.fields().size()));
            return nm.close(close).build();
        }
        b.field("Content-Type", file.contentType());
        if (coding != null) {
            b.field("Content-Encoding", coding);
        }
        b.field("Accept-Ranges", "bytes");
        Optional<String> range = req.field("Range");
        if (range.isPresent() && req.method().equals("GET") && ifRangeHolds(req, etag, file.lastModified())) {
            switch (ByteRanges.resolve(range.get(), body.length)) {
                case ByteRanges.Ignore ignore -> { }
                case ByteRanges.Unsatisfiable u -> {
                    // RFC 9110 §15.5.17: 416 "SHOULD generate a Content-Range ... unsatisfied-range".
                    return error(416, now, secure, close, "Content-Range", "bytes */" + body.length);
                }
                case ByteRanges.Satisfiable s -> {
                    return partial(b, s.ranges(), body, file.contentType(), etag, close);
                }
            }
        }
        b.field("Content-Length", Integer.toString(body.length));
        if (close) {
            b.field("Connection", "close");
        }
        if (!head) {
            b.body(Slice.of(body));
        }
        return b.close(close).build();
    }

    private Response partial(Response.Builder b, List<ByteRanges.Range> ranges, byte[] body, String type,
            String etag, boolean close) {
        Response.Builder p = new Response.Builder(206);
        // Same fields as the 200 would have had, except the type and length, which describe the part(s).
        for (var f : b.fields()) {
            if (!f.name().equals("Content-Type")) {
                p.field(f.name(), f.value());
            }
        }
        if (ranges.size() == 1) {
            ByteRanges.Range r = ranges.getFirst();
            p.field("Content-Type", type);
            p.field("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + body.length);
            p.field("Content-Length", Long.toString(r.length()));
            p.body(new Slice(body, (int) r.first(), (int) r.length()));
        } else {
            // RFC 9110 §14.6: multipart/byteranges, one part per range with its Content-Range.
            String boundary = "atoll-" + etag.replace("\"", "").replace("-", "");
            long total = 0;
            for (ByteRanges.Range r : ranges) {
                Slice partHead = Slice.ascii("\r\n--" + boundary + "\r\nContent-Type: " + type
                        + "\r\nContent-Range: bytes " + r.first() + "-" + r.last() + "/" + body.length + "\r\n\r\n");
                p.body(partHead).body(new Slice(body, (int) r.first(), (int) r.length()));
                total += partHead.length() + r.length();
            }
            Slice end = Slice.ascii("\r\n--" + boundary + "--\r\n");
            p.body(end);
            total += end.length();
            p.field("Content-Type", "multipart/byteranges; boundary=" + boundary);
            p.field("Content-Length", Long.toString(total));
        }
        if (close) {
            p.field("Connection", "close");
        }
        return p.close(close).build();
    }

    /** RFC 9110 §13.2.2: If-None-Match first; If-Modified-Since only without it. */
    private static boolean notModified(RequestHead req, String etag, Instant lastModified) {
        List<String> inm = req.fieldValues("If-None-Match");
        if (!inm.isEmpty()) {
            for (String v : inm) {
                for (String tag : v.split(",")) {
                    String t = tag.strip();
                    // RFC 9110 §13.1.2: If-None-Match uses the weak comparison.
                    if (t.equals("*") || weakEquals(t, etag)) {
                        return true;
                    }
                }
            }
            return false;
        }
        Optional<String> ims = req.field("If-Modified-Since");
        if (ims.isPresent()) {
            Optional<Instant> since = HttpDates.parse(ims.get());
            return since.isPresent() && !lastModified.isAfter(since.get());
        }
        return false;
    }

    /** RFC 9110 §13.1.5: If-Range with a strong tag compares strongly; with a date, exact match. */
    private static boolean ifRangeHolds(RequestHead req, String etag, Instant lastModified) {
        Optional<String> ir = req.field("If-Range");
        if (ir.isEmpty()) {
            return true;
        }
        String v = ir.get().strip();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        if (v.startsWith("W/")) {
            return false;
        }
        return HttpDates.parse(v).map(lastModified::equals).orElse(false);
    }

    private static boolean weakEquals(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private Response notFound(Instant now, boolean secure, boolean close, boolean head) {
        Response.Builder b = base(404, now, secure);
        if (!policy.notFound().isEmpty()) {
            Optional<Resource> page = site.file(policy.notFound());
            if (page.isPresent()) {
                return finish(b, Slice.of(page.get().body()), page.get().contentType(), head, close);
            }
        }
        return finish(b, Slice.ascii("404 Not Found\n"), "text/plain; charset=utf-8", head, close);
    }

    /** An error response with a short text body; extra fields as name, value pairs. */
    public Response error(int status, Instant now, boolean secure, boolean close, String... extra) {
        Response.Builder b = base(status, now, secure);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            b.field(extra[i], extra[i + 1]);
        }
        String text = status + " " + atoll.https.http1.Status.reason(status) + "\n";
        return finish(b, Slice.ascii(text), "text/plain; charset=utf-8", false, close);
    }

    /** The plain-HTTP port's answer: 301 to the same path over HTTPS (RFC 6797 §7.2). */
    public Response redirectToHttps(RequestHead req, int httpsPort, Instant now) {
        String host = req.field("Host").map(StaticResponder::hostWithoutPort).orElse("localhost");
        String target = req.target().startsWith("/") ? req.target() : "/";
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target;
        Response.Builder b = base(301, now, false).field("Location", location);
        return finish(b, Slice.ascii("Moved to " + location + "\n"), "text/plain; charset=utf-8",
                req.method().equals("HEAD"), !req.keepAlive());
    }

    /** The host part of a Host value if it is a plain name or address literal; "localhost" otherwise. */
    static String hostWithoutPort(String host) {
        String h = host.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).matches("[0-9A-Fa-f:.]+") ? h.substring(0, end + 1) : "localhost";
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        return h.matches("[A-Za-z0-9.-]{1,253}") ? h : "localhost";
    }

    private Response finish(Response.Builder b, Slice body, String type, boolean head, boolean close) {
        b.field("Content-Type", type).field("Content-Length", Integer.toString(body.length()));
        if (close) {
            b.field("Connection", "close");
        }
        if (!head) {
            b.body(body);
        }
        return b.close(close).build();
    }

    private Response.Builder base(int status, Instant now, boolean secure) {
        Response.Builder b = new Response.Builder(status).field("Date", HttpDates.format(now)).field("Server", SERVER);
        if (secure && !policy.hsts().isEmpty()) {
            b.field("Strict-Transport-Security", policy.hsts());
        }
        if (policy.securityHeaders()) {
            b.field("X-Content-Type-Options", "nosniff");
            b.field("X-Frame-Options", "DENY");
            b.field("Referrer-Policy", "strict-origin-when-cross-origin");
            if (!policy.contentSecurityPolicy().isEmpty()) {
                b.field("Content-Security-Policy", policy.contentSecurityPolicy());
            }
        }
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
