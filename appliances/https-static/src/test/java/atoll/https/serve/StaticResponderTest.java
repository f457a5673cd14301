package atoll.https.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.https.http1.HeaderField;
import atoll.https.http1.HttpDates;
import atoll.https.http1.RequestHead;
import atoll.https.http1.Response;
import atoll.https.site.Site;
import atoll.libos.store.ReadOnlyStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StaticResponderTest {
    static final Instant BUILT = Instant.parse("2026-11-27T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final byte[] NOTES = "0123456789abcdefghij".repeat(10).getBytes(StandardCharsets.US_ASCII); // 200 octets

    static final StaticResponder R;

    static {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("site/index.html", "<h1>home</h1>".repeat(20).getBytes(StandardCharsets.UTF_8));
        files.put("site/404.html", "<h1>custom 404</h1>".getBytes(StandardCharsets.UTF_8));
        files.put("site/docs/index.html", "<h1>docs</h1>".getBytes(StandardCharsets.UTF_8));
        files.put("site/docs/notes.bin", NOTES);
        files.put("site/app.js", "console.log('x');".repeat(30).getBytes(StandardCharsets.UTF_8));
        files.put("site/app.js.br", new byte[] {1, 2, 3}); // selection only: content is opaque here
        ReadOnlyStore store = new MapStore(files);
        try {
            R = new StaticResponder(Site.load(store, "site/", k -> BUILT),
                    new ResponsePolicy("index.html", "404.html", "max-age=63072000", true, "default-src 'self'"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Response get(String target, String... fields) {
        return request("GET", target, fields);
    }

    static Response request(String method, String target, String... fields) {
        List<HeaderField> f = new ArrayList<>();
        f.add(new HeaderField("Host", "example.com"));
        for (int i = 0; i < fields.length; i += 2) {
            f.add(new HeaderField(fields[i], fields[i + 1]));
        }
        return R.respond(new RequestHead(method, target, 1, f), NOW, true);
    }

    static byte[] body(Response r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Response.Slice s : r.body()) {
            out.write(s.bytes(), s.offset(), s.length());
        }
        return out.toByteArray();
    }

    @Test
    void indexAndHeaders() {
        Response r = get("/");
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.field("Content-Type"));
        assertEquals(HttpDates.format(NOW), r.field("Date"));
        assertEquals(HttpDates.format(BUILT), r.field("Last-Modified"));
        assertEquals("max-age=63072000", r.field("Strict-Transport-Security"));
        assertEquals("nosniff", r.field("X-Content-Type-Options"));
        assertEquals("Accept-Encoding", r.field("Vary"), "a gzip variant was made for the html");
        assertNull(r.field("Content-Encoding"));
        assertEquals(Integer.parseInt(r.field("Content-Length")), body(r).length);
    }

    @Test
    void headHasTheLengthButNoBody() {
        Response g = get("/docs/notes.bin");
        Response h = request("HEAD", "/docs/notes.bin");
        assertEquals(g.field("Content-Length"), h.field("Content-Length"));
        assertEquals(0, body(h).length);
        assertEquals(200, body(g).length);
    }

    @Test
    void otherMethodsGet405WithAllow() {
        Response r = request("POST", "/", "Content-Length", "3");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.field("Allow"));
        assertTrue(r.close(), "an unread body means the connection closes");
        assertEquals(405, request("DELETE", "/").status());
    }

    @Test
    void directoryRedirectsAndIndex() {
        Response r = get("/docs?x=1");
        assertEquals(301, r.status());
        assertEquals("/docs/?x=1", r.field("Location"));
        assertEquals("<h1>docs</h1>", new String(body(get("/docs/")), StandardCharsets.UTF_8));
    }

    @Test
    void customNotFoundAndTraversal() {
        Response r = get("/nope");
        assertEquals(404, r.status());
        assertEquals("<h1>custom 404</h1>", new String(body(r), StandardCharsets.UTF_8));
        assertEquals(404, get("/nope/").status());
        assertEquals(400, get("/../etc/passwd").status());
        assertEquals(400, get("/%2e%2e/%2e%2e/etc/passwd").status());
    }

    @Test
    void conditionalRequests() {
        Response first = get("/docs/notes.bin");
        String etag = first.field("ETag");
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        Response nm = get("/docs/notes.bin", "If-None-Match", "\"other\", " + etag);
        assertEquals(304, nm.status());
        assertEquals(0, body(nm).length);
        assertEquals(etag, nm.field("ETag"));
        assertEquals(304, get("/docs/notes.bin", "If-None-Match", "W/" + etag).status(), "weak comparison");
        assertEquals(200, get("/docs/notes.bin", "If-None-Match", "\"other\"").status());
        assertEquals(304, get("/docs/notes.bin", "If-Modified-Since", HttpDates.format(BUILT)).status());
        assertEquals(200, get("/docs/notes.bin", "If-Modified-Since", HttpDates.format(BUILT.minusSeconds(1))).status());
        // RFC 9110 §13.2.2: If-Modified-Since is ignored when If-None-Match is present.
        assertEquals(200, get("/docs/notes.bin", "If-None-Match", "\"other\"", "If-Modified-Since",
                HttpDates.format(BUILT)).status());
    }

    @Test
    void singleRange() {
        Response r = get("/docs/notes.bin", "Range", "bytes=10-19");
        assertEquals(206, r.status());
        assertEquals("bytes 10-19/200", r.field("Content-Range"));
        assertEquals("abcdefghij", new String(body(r), StandardCharsets.US_ASCII));
        assertEquals("bytes 190-199/200", get("/docs/notes.bin", "Range", "bytes=-10").field("Content-Range"));
        assertEquals("bytes 195-199/200", get("/docs/notes.bin", "Range", "bytes=195-").field("Content-Range"));
        assertEquals("bytes 195-199/200", get("/docs/notes.bin", "Range", "bytes=195-9999").field("Content-Range"));
    }

    @Test
    void severalRangesAreMultipart() {
        Response r = get("/docs/notes.bin", "Range", "bytes=0-1, 10-11");
        assertEquals(206, r.status());
        String type = r.field("Content-Type");
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        String text = new String(body(r), StandardCharsets.US_ASCII);
        assertEquals(Integer.parseInt(r.field("Content-Length")), text.length());
        assertEquals("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-1/200"
                + "\r\n\r\n01\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes 10-11/200\r\n\r\nab\r\n--" + boundary + "--\r\n", text);
    }

    @Test
    void unsatisfiableAndIgnoredRanges() {
        Response r = get("/docs/notes.bin", "Range", "bytes=500-600");
        assertEquals(416, r.status());
        assertEquals("bytes */200", r.field("Content-Range"));
        assertEquals(200, get("/docs/notes.bin", "Range", "bytes=5-2").status(), "invalid: ignored");
        assertEquals(200, get("/docs/notes.bin", "Range", "items=0-1").status(), "other unit: ignored");
        assertEquals(200, get("/docs/notes.bin", "Range", "bytes=0-1", "If-Range", "\"stale\"").status());
        String etag = get("/docs/notes.bin").field("ETag");
        assertEquals(206, get("/docs/notes.bin", "Range", "bytes=0-1", "If-Range", etag).status());
        assertEquals(200, request("HEAD", "/docs/notes.bin", "Range", "bytes=0-1").status());
    }

    @Test
    void precompressedVariantsByAcceptEncoding() {
        Response br = get("/app.js", "Accept-Encoding", "gzip, br");
        assertEquals("br", br.field("Content-Encoding"));
        assertArrayEquals(new byte[] {1, 2, 3}, body(br));
        assertTrue(br.field("ETag").contains("-br"), "a variant has its own tag");
        Response gz = get("/app.js", "Accept-Encoding", "gzip, br;q=0");
        assertEquals("gzip", gz.field("Content-Encoding"));
        assertEquals(0x1f, body(gz)[0] & 0xff, "gzip magic (RFC 1952 §2.3.1)");
        assertNull(get("/app.js").field("Content-Encoding"));
        assertNull(get("/app.js", "Accept-Encoding", "identity").field("Content-Encoding"));
        assertEquals("Accept-Encoding", get("/app.js").field("Vary"));
        assertNull(get("/docs/notes.bin").field("Vary"), "no variants, no Vary");
    }

    @Test
    void redirectToHttps() {
        RequestHead req = new RequestHead("GET", "/docs/?a=b", 1, List.of(new HeaderField("Host", "example.com:8080")));
        Response r = R.redirectToHttps(req, 8443, NOW);
        assertEquals(301, r.status());
        assertEquals("https://example.com:8443/docs/?a=b", r.field("Location"));
        assertNull(r.field("Strict-Transport-Security"), "RFC 6797 §7.2: no HSTS over plain HTTP");
        RequestHead evil = new RequestHead("GET", "/", 1, List.of(new HeaderField("Host", "evil.example/@x")));
        assertEquals("https://localhost/", R.redirectToHttps(evil, 443, NOW).field("Location"));
    }

    /** A read-only store over a map, for site tests. */
    record MapStore(Map<String, byte[]> files) implements ReadOnlyStore {
        @Override
        public byte[] read(String key) throws NoSuchFileException {
            byte[] b = files.get(key);
            if (b == null) {
                throw new NoSuchFileException(key);
            }
            return b;
        }

        @Override
        public boolean exists(String key) {
            return files.containsKey(key);
        }

        @Override
        public List<String> list(String prefix) {
            return files.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
        }

        @Override
        public String describe(String key) {
            return "map:" + key;
        }
    }
}
