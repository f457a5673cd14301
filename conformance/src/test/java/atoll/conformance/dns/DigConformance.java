package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image queried by the reference command-line clients: ISC's dig (Debian package
 * dnsutils) and Knot's kdig (knot-dnsutils), over UDP and TCP. Written once; each target runs it
 * through a subclass that starts the image on that target and says where the clients run and
 * which addresses they ask (Netty's testsuite shape).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DigConformance {

    /** Starts the image and returns once it answers; {@code tmp} is the test's scratch directory. */
    protected abstract void startImage(Path tmp) throws Exception;

    /** Stops the image (SIGTERM) and checks it exited 0. */
    protected abstract void stopImage() throws Exception;

    /** Every address the image answers on, as the clients ask them. */
    protected abstract List<String> servers();

    /** The port the image answers on. */
    protected abstract int port();

    /**
     * Runs a client where it can reach the image; a missing client fails the test naming the
     * Debian package to install; a client that fails fails the test. Returns its output.
     */
    protected abstract String client(String tool, String debianPackage, String... args) throws Exception;

    @BeforeAll
    final void start(@TempDir Path tmp) throws Exception {
        startImage(tmp);
    }

    @AfterAll
    final void stop() throws Exception {
        stopImage();
    }

    private String primary() {
        return "@" + servers().getFirst();
    }

    String dig(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-p", String.valueOf(port()), "+norecurse", "+tries=1", "+time=5"));
        all.addAll(List.of(args));
        return client("dig", "dnsutils", all.toArray(String[]::new));
    }

    @Test
    @Feature({"authoritative", "transport", "tcp"})
    void digGetsTheDocumentedAnswerOverUdpAndTcp() throws Exception {
        for (String server : servers().stream().map(a -> "@" + a).toList()) {
            for (String transport : List.of("+notcp", "+tcp")) {
                String out = dig(server, transport, "www.example.com", "A");
                assertTrue(out.contains("status: NOERROR"), out);
                assertTrue(out.matches("(?s).*flags: qr aa;.*"), out);
                assertTrue(out.matches("(?s).*www\\.example\\.com\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.80.*"), out);
            }
        }
        assertEquals("192.0.2.80\n", dig(primary(), "+short", "www.example.com"));
    }

    @Test
    @Feature({"authoritative", "refusal"})
    void digSeesNxdomainWithSoaAndRefusal() throws Exception {
        String nx = dig(primary(), "nope.example.com", "A");
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
        assertTrue(nx.matches("(?s).*AUTHORITY SECTION:\\s+example\\.com\\.\\s+300\\s+IN\\s+SOA.*"), nx);
        String refused = dig(primary(), "www.example.org", "A");
        assertTrue(refused.contains("status: REFUSED"), refused);
    }

    @Test
    @Feature({"authoritative", "edns"})
    void digFollowsTheCnameAndSeesEdns() throws Exception {
        String out = dig(primary(), "ftp.example.com", "A");
        assertTrue(out.matches("(?s).*ftp\\.example\\.com\\.\\s+3600\\s+IN\\s+CNAME\\s+www\\.example\\.com\\..*"), out);
        assertTrue(out.contains("192.0.2.80"), out);
        // dig sends EDNS(0) by default; RFC 6891 §7: the response carries an OPT record.
        assertTrue(out.contains("OPT PSEUDOSECTION") && out.contains("udp: 1232"), out);
    }

    @Test
    @Feature({"authoritative", "record-types", "tcp"})
    void kdigOverTcpAndUdp() throws Exception {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = client("kdig", "knot-dnsutils", primary(), "-p", String.valueOf(port()), transport,
                    "+norecurse", "example.com", "MX");
            assertTrue(out.contains("status: NOERROR"), out);
            assertTrue(out.matches("(?s).*example\\.com\\.\\s+3600\\s+IN\\s+MX\\s+10 mail\\.example\\.com\\..*"), out);
            assertTrue(out.matches("(?s).*mail\\.example\\.com\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.25.*"), out);
        }
    }
}
