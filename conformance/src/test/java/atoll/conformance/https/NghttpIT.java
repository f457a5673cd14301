package atoll.conformance.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.Peer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** nghttp (Debian package nghttp2-client), the nghttp2 project's HTTP/2 client, against the built image. */
@Tag("https-static")
@Tag("socket")
class NghttpIT extends HttpsSuite {

    static String nghttp(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--timeout=30"));
        all.addAll(List.of(args));
        Peer.Result r = Peer.run("nghttp", "nghttp2-client", all);
        assertEquals(0, r.status(), () -> "nghttp " + all + ":\n" + r.out() + "\nserver log:\n" + server.log());
        return r.out();
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.httpsPort + path;
    }

    @Test
    @Feature({"h2-preface"})
    void framesOfAnExchange() throws Exception {
        String v = nghttp("-nv", url("/"));
        assertTrue(v.contains("recv SETTINGS frame"), v);
        assertTrue(v.contains("recv SETTINGS frame <length=0, flags=0x01"), "our ACK of the client's SETTINGS:\n" + v);
        assertTrue(v.contains(":status: 200"), v);
        assertTrue(v.contains("recv DATA frame") && v.contains("END_STREAM"), v);
    }

    @Test
    @Feature({"multiplexing"})
    void multiplexedRequestsAndStats() throws Exception {
        String s = nghttp("-ns", url("/"), url("/style.css"), url("/docs/notes.txt"), url("/nowhere"));
        assertTrue(s.matches("(?s).*200\\s+\\S+\\s+/\\s.*"), s);
        assertTrue(s.matches("(?s).*200\\s+\\S+\\s+/style\\.css.*"), s);
        assertTrue(s.matches("(?s).*200\\s+\\S+\\s+/docs/notes\\.txt.*"), s);
        assertTrue(s.matches("(?s).*404\\s+\\S+\\s+/nowhere.*"), s);
    }

    @Test
    @Feature({"h2-flow-control"})
    void smallWindowsStillDeliverTheWholeBody() throws Exception {
        // -w/-W: 2^10-octet stream and connection windows: the 14 200-octet file needs WINDOW_UPDATEs.
        String out = nghttp("-w", "10", "-W", "10", "-H", "accept-encoding: identity", url("/docs/notes.txt"));
        // nghttp warns on stderr that it did not verify the certificate; the body follows.
        out = out.lines().filter(l -> !l.startsWith("[WARNING]")).map(l -> l + "\n").reduce("", String::concat);
        assertTrue(out.startsWith("Line 0001") && out.contains("Line 0200 of the sample notes"),
                out.substring(0, Math.min(200, out.length())));
        assertEquals(14_200, out.length());
    }
}
