package atoll.conformance.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.Peer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openssl s_client} (Debian package openssl) against the built image: TLS 1.3 and 1.2,
 * refusal of 1.1, ALPN (h2 preferred), SNI choosing between an ECDSA and an RSA certificate (made here with
 * {@code openssl req}), and TLS 1.2 resumption.
 */
@Tag("https-static")
@Tag("socket")
class OpensslIT {
    @TempDir static Path tmp;
    static ImageServer server;

    @BeforeAll
    static void start() throws Exception {
        Path d = tmp.resolve("certs");
        java.nio.file.Files.createDirectories(d);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-subj", "/CN=a.example", "-addext", "subjectAltName=DNS:a.example,DNS:localhost",
                "-keyout", d.resolve("a.key").toString(), "-out", d.resolve("a.pem").toString());
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=b.example",
                "-addext", "subjectAltName=DNS:b.example",
                "-keyout", d.resolve("b.key").toString(), "-out", d.resolve("b.pem").toString());
        server = new ImageServer(tmp.resolve("run"), "--tls.certificates=" + d.resolve("a.pem") + "="
                + d.resolve("a.key") + "," + d.resolve("b.pem") + "=" + d.resolve("b.key"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String openssl(String... args) throws Exception {
        Peer.Result r = Peer.run("openssl", "openssl", List.of(args));
        assertEquals(0, r.status(), () -> "openssl " + List.of(args) + ":\n" + r.out());
        return r.out();
    }

    static Peer.Result sClient(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + server.httpsPort));
        args.addAll(List.of(extra));
        return Peer.run("openssl", "openssl", args);
    }

    @Test
    @Feature({"tls13", "groups", "alpn"})
    void tls13WithX25519AndAlpn() throws Exception {
        Peer.Result r = sClient("-tls1_3", "-servername", "a.example", "-alpn", "h2,http/1.1",
                "-CAfile", tmp.resolve("certs/a.pem").toString(), "-verify_return_error");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"), r.out());
        assertTrue(r.out().contains("Server Temp Key: X25519"), r.out());
        assertTrue(r.out().contains("ALPN protocol: h2"), "h2 is the server's first choice:\n" + r.out());
        assertTrue(r.out().contains("Verify return code: 0 (ok)"), r.out());
    }

    /** RFC 5077: openssl asks for a ticket, gets one, and resumes with it. */
    @Test
    @Feature({"tls12", "tls12-tickets"})
    void tls12AndTicketResumption() throws Exception {
        Path sess = tmp.resolve("sess.pem");
        Peer.Result first = sClient("-tls1_2", "-servername", "a.example", "-sess_out", sess.toString());
        assertEquals(0, first.status(), first.out());
        assertTrue(first.out().contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"), first.out());
        assertTrue(first.out().contains("TLS session ticket lifetime hint:"), "a ticket was issued:\n" + first.out());
        Peer.Result again = sClient("-tls1_2", "-servername", "a.example", "-sess_in", sess.toString());
        assertTrue(again.out().contains("Reused, TLSv1.2"), again.out());
    }

    /** RFC 5246 §7.3: without tickets ({@code -no_ticket}) the session ID alone resumes. */
    @Test
    @Feature({"tls12", "tls12-resumption"})
    void tls12SessionIdResumption() throws Exception {
        Path sess = tmp.resolve("sess-id.pem");
        Peer.Result first = sClient("-tls1_2", "-no_ticket", "-sess_out", sess.toString());
        assertEquals(0, first.status(), first.out());
        assertTrue(!first.out().contains("TLS session ticket:"), "no ticket asked for, none sent:\n" + first.out());
        Peer.Result again = sClient("-tls1_2", "-no_ticket", "-sess_in", sess.toString());
        assertTrue(again.out().contains("Reused, TLSv1.2"), again.out());
    }

    @Test
    @Feature({"old-tls-refused"})
    void tls11AndBelowAreRefused() throws Exception {
        Peer.Result r = sClient("-tls1_1");
        assertNotEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("alert protocol version") || r.out().contains("no protocols available"),
                r.out());
    }

    @Test
    @Feature({"sni", "certificates"})
    void sniChoosesTheCertificate() throws Exception {
        Peer.Result b = sClient("-tls1_3", "-servername", "b.example");
        assertTrue(b.out().contains("CN = b.example") || b.out().contains("CN=b.example"), b.out());
        assertTrue(b.out().contains("Peer signature type: RSA-PSS"), b.out());
        Peer.Result a = sClient("-tls1_3", "-servername", "a.example");
        assertTrue(a.out().contains("CN = a.example") || a.out().contains("CN=a.example"), a.out());
        assertTrue(a.out().contains("Peer signature type: ECDSA"), a.out());
        Peer.Result b12 = sClient("-tls1_2", "-servername", "b.example");
        assertTrue(b12.out().contains("ECDHE-RSA-AES128-GCM-SHA256"), b12.out());
    }

    @Test
    @Feature({"alpn"})
    void noCommonAlpnIsAnAlert() throws Exception {
        Peer.Result r = sClient("-alpn", "spdy/3");
        assertTrue(r.out().contains("no application protocol"), r.out());
    }
}
