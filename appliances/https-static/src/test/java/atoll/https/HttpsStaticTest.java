package atoll.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance in-process on the socket target, on its embedded sample site and development
 * certificate, driven over real loopback sockets by the JDK's TLS client (SSLSocket, trusting the
 * development CA) and Bouncy Castle's TLS client. Each test stops the appliance (exit 0) and checks
 * that no pooled buffer leaked.
 */
class HttpsStaticTest {
    @TempDir Path tmp;

    HttpsStatic server;
    Running running;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    void start(String... extra) {
        server = new HttpsStatic();
        List<String> args = new ArrayList<>(List.of("--listen=127.0.0.1", "--port=0", "--http.port=0",
                "--state.dir=" + tmp.resolve("state"), "--log.level=warning"));
        args.addAll(List.of(extra));
        running = Launcher.start(server, "test", args.toArray(String[]::new), null,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertTrue(running.isRunning(), () -> "did not start: " + err);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.devices() != null) {
            var pool = running.devices().network().bufferPool();
            var streamPool = running.devices().network().streamBufferPool();
            assertEquals(0, running.stop(), () -> "clean stop: " + err);
            pool.assertNoLeaks();
            streamPool.assertNoLeaks();
        }
    }

    InetSocketAddress https() {
        return server.httpsAddresses().getFirst();
    }

    SSLSocket tls(String... protocols) throws Exception {
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(Path.of(server.development().caCertificate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("dev-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(https().getAddress(), https().getPort());
        s.setSoTimeout(20_000);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        var params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // hostname (here: IP SAN) checked too
        params.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    /** Reads one HTTP/1.1 response with a Content-Length (or none, for HEAD/304): status line, head, body. */
    record Reply(String head, byte[] body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        String field(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                    return line.substring(c + 1).strip();
                }
            }
            return null;
        }
    }

    static Reply read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + h);
            }
            h.write(b);
            state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String text = h.toString(StandardCharsets.ISO_8859_1);
        Reply r = new Reply(text, new byte[0]);
        String len = r.field("Content-Length");
        if (head || len == null || r.status() == 304) {
            return r;
        }
        return new Reply(text, in.readNBytes(Integer.parseInt(len)));
    }

    static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void servesTheSampleSiteOverTls13AndTls12() throws Exception {
        start();
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            try (SSLSocket s = tls(version)) {
                assertEquals(version, s.getSession().getProtocol());
                assertEquals("http/1.1", s.getApplicationProtocol());
                send(s.getOutputStream(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                Reply r = read(s.getInputStream(), false);
                assertEquals(200, r.status(), r.head());
                assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("It works"));
                assertTrue(r.field("Strict-Transport-Security").startsWith("max-age="));
            }
        }
    }

    @Test
    void pipelinedRequestsAnsweredInOrderOnOneConnection() throws Exception {
        start();
        try (SSLSocket s = tls()) {
            send(s.getOutputStream(), "GET /style.css HTTP/1.1\r\nHost: a\r\n\r\nHEAD /docs/ HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\nGET /docs HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            InputStream in = s.getInputStream();
            Reply css = read(in, false);
            assertEquals(200, css.status());
            assertTrue(css.field("Content-Type").startsWith("text/css"));
            Reply head = read(in, true);
            assertEquals(200, head.status());
            Reply missing = read(in, false);
            assertEquals(404, missing.status());
            assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains("404: nothing here"));
            Reply redirect = read(in, false);
            assertEquals(301, redirect.status());
            assertEquals("/docs/", redirect.field("Location"));
            assertEquals(-1, in.read(), "closed after Connection: close");
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws Exception {
        start();
        try (SSLSocket s = tls()) {
            send(s.getOutputStream(), "GET / HTTP/1.1\r\nHost : a\r\n\r\n");
            Reply r = read(s.getInputStream(), false);
            assertEquals(400, r.status());
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void slowClientIsCutOff() throws Exception {
        start("--http.request-timeout=1s");
        try (SSLSocket s = tls()) {
            OutputStream out = s.getOutputStream();
            send(out, "GET / HTTP/1.1\r\nHost: a\r\n");
            // Slowloris: one header octet at a time, each well inside any idle timeout. Bounded: 100 sends.
            boolean cut = false;
            for (int i = 0; i < 100 && !cut; i++) {
                try {
                    send(out, "X");
                    Thread.sleep(100);
                } catch (IOException closed) {
                    cut = true;
                }
                if (!cut && s.getInputStream().available() > 0) {
                    cut = true;
                }
            }
            if (!cut) {
                s.setSoTimeout(5_000);
                cut = s.getInputStream().read() != 'Z'; // -1 (closed) or the start of a 408
            }
            assertTrue(cut, "the server let a client take more than 10 s over one request head");
        }
    }

    @Test
    void clientThatStopsReadingIsCutOffBySendTimeout() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        byte[] big = new byte[32 << 20]; // far more than socket buffers hold
        Files.write(site.resolve("big.bin"), big);
        start("--site.dir=" + site, "--http.send-timeout=1s");
        try (SSLSocket s = tls()) {
            send(s.getOutputStream(), "GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n");
            // Stop reading well past the send timeout; the server's write blocks, then its timer aborts.
            Thread.sleep(4_000);
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try {
                InputStream in = s.getInputStream();
                for (int n; total <= big.length && (n = in.read(buf)) > 0; ) {
                    total += n;
                }
            } catch (IOException reset) {
                // a reset is as good as an end of stream here
            }
            assertTrue(total < big.length, "the whole " + big.length + "-octet body arrived after the client"
                    + " stalled: the send timeout did not fire");
        }
    }

    @Test
    void plainHttpRedirectsToHttps() throws Exception {
        start();
        InetSocketAddress http = server.httpAddresses().getFirst();
        try (Socket s = new Socket(http.getAddress(), http.getPort())) {
            s.setSoTimeout(20_000);
            send(s.getOutputStream(), "GET /docs/?x=1 HTTP/1.1\r\nHost: localhost:" + http.getPort() + "\r\n\r\n");
            Reply r = read(s.getInputStream(), false);
            assertEquals(301, r.status());
            assertEquals("https://localhost:" + https().getPort() + "/docs/?x=1", r.field("Location"));
        }
    }

    @Test
    void failedHandshakesLeaveNothingBehind() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket(https().getAddress(), https().getPort())) {
                s.setSoTimeout(20_000);
                send(s.getOutputStream(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"); // plain text to the TLS port
                // Bouncy Castle cannot frame an alert before it has read a ClientHello (no record
                // version yet), so the server just closes.
                assertEquals(-1, s.getInputStream().read(), "closed");
            }
        }
        // The @AfterEach leak check covers the buffers of those five flows.
    }

    /** Bouncy Castle's TLS client over a real socket, offering the hybrid group first. */
    @Test
    void bouncyCastleClientNegotiatesX25519Mlkem768() throws Exception {
        start();
        int[] negotiated = {-1};
        DefaultTlsClient client = new DefaultTlsClient(new BcTlsCrypto(new SecureRandom())) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv13.only();
            }

            @Override
            protected Vector getSupportedGroups(Vector roles) {
                Vector<Integer> v = new Vector<>();
                v.add(NamedGroup.X25519MLKEM768);
                v.add(NamedGroup.x25519);
                return v;
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new ServerOnlyTlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate c) {}
                };
            }

            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                negotiated[0] = context.getSecurityParametersConnection().getNegotiatedGroup();
            }
        };
        try (Socket s = new Socket(https().getAddress(), https().getPort())) {
            s.setSoTimeout(20_000);
            TlsClientProtocol protocol = new TlsClientProtocol(s.getInputStream(), s.getOutputStream());
            protocol.connect(client);
            assertEquals("X25519MLKEM768", NamedGroup.getName(negotiated[0]));
            send(protocol.getOutputStream(), "GET /docs/notes.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            Reply r = read(protocol.getInputStream(), false);
            assertEquals(200, r.status());
            assertEquals(14_200, r.body().length, "200 lines of 71 octets");
            protocol.close();
        }
    }
}
