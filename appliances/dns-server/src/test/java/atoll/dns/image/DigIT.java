package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The built image queried by the reference command-line clients: ISC's dig (Debian package
 * dnsutils) and Knot's kdig (knot-dnsutils), over UDP and TCP, IPv4 and IPv6, on loopback.
 */
class DigIT {
    static Process server;
    static int port;
    @TempDir static Path tmp;

    @BeforeAll
    static void startImage() throws Exception {
        ImageIT.imageIsBuilt();
        port = ImageIT.freePort();
        server = new ProcessBuilder(ImageIT.LAUNCHER.toString(), "--listen=127.0.0.1,::1", "--port=" + port,
                "--state.dir=" + tmp.resolve("state"))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        for (int attempt = 0; attempt < ImageIT.READY_ATTEMPTS; attempt++) {
            if (!server.isAlive()) {
                fail("appliance exited: " + Files.readString(tmp.resolve("server.log")));
            }
            try {
                ImageIT.resolver(port, false).send(ImageIT.query("www.example.com.", Type.A));
                return;
            } catch (IOException notYet) {
                server.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        fail("appliance never answered: " + Files.readString(tmp.resolve("server.log")));
    }

    @AfterAll
    static void stopImage() throws Exception {
        if (server != null) {
            server.destroy();
            assertTrue(server.waitFor(ImageIT.RUN_BOUND_SECONDS, TimeUnit.SECONDS), "appliance did not stop");
            assertEquals(0, server.exitValue(), () -> log());
        }
    }

    static String log() {
        try {
            return Files.readString(tmp.resolve("server.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Runs a client; a missing client fails the test naming the Debian package to install. */
    static String client(String tool, String debianPackage, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage, missing);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
        assertEquals(0, p.exitValue(), () -> tool + " failed:\n" + out);
        return out;
    }

    static String dig(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-p", String.valueOf(port), "+norecurse", "+tries=1", "+time=5"));
        all.addAll(List.of(args));
        return client("dig", "dnsutils", all.toArray(String[]::new));
    }

    @Test
    void digGetsTheDocumentedAnswerOverUdpAndTcp() throws Exception {
        for (String server : List.of("@127.0.0.1", "@::1")) {
            for (String transport : List.of("+notcp", "+tcp")) {
                String out = dig(server, transport, "www.example.com", "A");
                assertTrue(out.contains("status: NOERROR"), out);
                assertTrue(out.matches("(?s).*flags: qr aa;.*"), out);
                assertTrue(out.matches("(?s).*www\\.example\\.com\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.80.*"), out);
            }
        }
        assertEquals("192.0.2.80\n", dig("@127.0.0.1", "+short", "www.example.com"));
    }

    @Test
    void digSeesNxdomainWithSoaAndRefusal() throws Exception {
        String nx = dig("@127.0.0.1", "nope.example.com", "A");
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
        assertTrue(nx.matches("(?s).*AUTHORITY SECTION:\\s+example\\.com\\.\\s+300\\s+IN\\s+SOA.*"), nx);
        String refused = dig("@127.0.0.1", "www.example.org", "A");
        assertTrue(refused.contains("status: REFUSED"), refused);
    }

    @Test
    void digFollowsTheCnameAndSeesEdns() throws Exception {
        String out = dig("@127.0.0.1", "ftp.example.com", "A");
        assertTrue(out.matches("(?s).*ftp\\.example\\.com\\.\\s+3600\\s+IN\\s+CNAME\\s+www\\.example\\.com\\..*"), out);
        assertTrue(out.contains("192.0.2.80"), out);
        // dig sends EDNS(0) by default; RFC 6891 §7: the response carries an OPT record.
        assertTrue(out.contains("OPT PSEUDOSECTION") && out.contains("udp: 1232"), out);
    }

    @Test
    void kdigOverTcpAndUdp() throws Exception {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = client("kdig", "knot-dnsutils", "@127.0.0.1", "-p", String.valueOf(port), transport,
                    "+norecurse", "example.com", "MX");
            assertTrue(out.contains("status: NOERROR"), out);
            assertTrue(out.matches("(?s).*example\\.com\\.\\s+3600\\s+IN\\s+MX\\s+10 mail\\.example\\.com\\..*"), out);
            assertTrue(out.matches("(?s).*mail\\.example\\.com\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.25.*"), out);
        }
    }
}
