package atoll.conformance.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.Peer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** curl (Debian package curl) against the built image over HTTPS, trusting the development CA. */
@Tag("https-static")
@Tag("socket")
class CurlIT extends HttpsSuite {

    static String curl(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-sS", "--max-time", "30", "--cacert", server.ca().toString()));
        if (!List.of(args).contains("--http2")) {
            all.add("--http1.1"); // ALPN offers h2 first; HTTP/1.1 unless a test asks for HTTP/2
        }
        all.addAll(List.of(args));
        Peer.Result r = Peer.run("curl", "curl", all);
        assertEquals(0, r.status(), () -> "curl " + all + ":\n" + r.out() + "\nserver log:\n" + server.log());
        return r.out();
    }

    String url(String path) {
        return "https://localhost:" + server.httpsPort + path;
    }

    @Test
    @Feature("dev-ca")
    void getsTheSampleSiteOverHttp11AndTls() throws Exception {
        String out = curl("--http1.1", "-w", "\n%{http_code} %{http_version} %{ssl_verify_result}", url("/"));
        assertTrue(out.contains("It works"), out);
        assertTrue(out.endsWith("\n200 1.1 0"), out);
        // Both loopback families answer; the certificate names 127.0.0.1 and ::1 as well.
        assertTrue(curl("-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:" + server.httpsPort + "/")
                .equals("200"));
        assertTrue(curl("-o", "/dev/null", "-w", "%{http_code}", "https://[::1]:" + server.httpsPort6 + "/")
                .equals("200"));
    }

    @Test
    @Feature({"conditional", "precompressed", "hsts"})
    void headersConditionalAndCompression() throws Exception {
        String head = curl("-I", url("/docs/notes.txt"));
        assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
        assertTrue(head.contains("strict-transport-security: max-age=31536000")
                || head.contains("Strict-Transport-Security: max-age=31536000"), head);
        String etag = head.lines().filter(l -> l.regionMatches(true, 0, "ETag:", 0, 5)).findFirst().orElseThrow()
                .substring(5).strip();
        String notModified = curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag,
                url("/docs/notes.txt"));
        assertEquals("304", notModified);
        String compressed = curl("--compressed", "-D", "-", url("/docs/notes.txt"));
        assertTrue(compressed.contains("Content-Encoding: gzip") || compressed.contains("content-encoding: gzip"),
                compressed);
        assertTrue(compressed.contains("Line 0200 of the sample notes"), "curl decoded the gzip body");
    }

    @Test
    @Feature({"ranges"})
    void ranges() throws Exception {
        assertEquals("Line 0001", curl("-r", "0-8", url("/docs/notes.txt")));
        String multi = curl("-r", "0-3,71-74", "-D", "-", url("/docs/notes.txt"));
        assertTrue(multi.contains("multipart/byteranges"), multi);
        assertTrue(multi.contains("Content-Range: bytes 71-74/14200") && multi.contains("Line"), multi);
        assertEquals("416", curl("-o", "/dev/null", "-w", "%{http_code}", "-r", "99999-", url("/docs/notes.txt")));
    }

    @Test
    @Feature({"http-redirect", "methods", "index", "path-normalisation"})
    void redirectsAndErrors() throws Exception {
        // Plain HTTP is sent to HTTPS; -L follows it there.
        String followed = curl("-L", "-w", "\n%{url_effective}", "http://localhost:" + server.httpPort + "/docs/");
        assertTrue(followed.contains("<h1>Docs</h1>"), followed);
        assertTrue(followed.endsWith("https://localhost:" + server.httpsPort + "/docs/"), followed);
        assertEquals("301", curl("-o", "/dev/null", "-w", "%{http_code}", url("/docs")));
        assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", url("/nowhere")));
        assertEquals("405", curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", url("/")));
        assertEquals("400", curl("-o", "/dev/null", "-w", "%{http_code}", "--path-as-is",
                url("/../../etc/passwd")));
        assertEquals("400", curl("-o", "/dev/null", "-w", "%{http_code}", "--path-as-is",
                url("/%2e%2e/%2e%2e/etc/passwd")));
    }

    @Test
    @Feature({"alpn", "h2-requests", "multiplexing", "hsts"})
    void http2ByAlpn() throws Exception {
        String out = curl("--http2", "-w", "\n%{http_code} %{http_version}", url("/docs/notes.txt"));
        assertTrue(out.endsWith("\n200 2"), out.substring(Math.max(0, out.length() - 200)));
        assertTrue(out.startsWith("Line 0001"), out.substring(0, 40));
        String head = curl("--http2", "-I", url("/"));
        assertTrue(head.startsWith("HTTP/2 200"), head);
        assertTrue(head.contains("strict-transport-security: max-age=31536000"), head);
        assertEquals("404", curl("--http2", "-o", "/dev/null", "-w", "%{http_code}", url("/nowhere")));
        assertEquals("Line 0001", curl("--http2", "-r", "0-8", url("/docs/notes.txt")));
        String etag = head.lines().filter(l -> l.startsWith("etag:")).findFirst().orElseThrow().substring(5).strip();
        assertEquals("304", curl("--http2", "-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag,
                url("/")));
        // Several requests multiplexed on one connection.
        String many = curl("--http2", "-v", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", url("/"),
                url("/style.css"), url("/docs/"));
        assertTrue(many.contains("Re-using existing connection") || many.contains("Reusing existing connection")
                || many.contains("Multiplexed connection found"), many);
    }

    @Test
    @Feature({"keep-alive"})
    void keepAliveReusesOneConnection() throws Exception {
        String out = curl("--http1.1", "-v", "-o", "/dev/null", "-o", "/dev/null", url("/"), url("/style.css"));
        assertTrue(out.contains("Re-using existing connection") || out.contains("Reusing existing connection"),
                out);
    }
}
