package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's answer features against the built image, with ISC dig (dnsutils) and Knot's kdig
 * (knot-dnsutils) as the peers: DNAME redirection (RFC 6672), ANY (RFC 8482), edns-tcp-keepalive
 * (RFC 7828), NSID (RFC 5001) and {@code answers.minimal=false}. Two image runs, each on a free
 * loopback port; every wait is bounded.
 */
@Tag("dns-server")
@Tag("socket")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswersDigIT {
    static final String ZONE = """
            $ORIGIN example.org.
            $TTL 3600
            @        IN SOA   ns1 hostmaster 2026112901 7200 3600 1209600 300
                     IN NS    ns1
                     IN MX    10 mail
            ns1      IN A     192.0.2.53
            mail     IN A     192.0.2.25
            www      IN TXT   "www"
                     IN AAAA  2001:db8::80
                     IN A     192.0.2.80
            dn   900 IN DNAME target
            target   IN A     192.0.2.91
            host.target IN A  192.0.2.92
            long     IN DNAME %s.example.org.
            """.formatted("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63));

    Path tmp;
    Process minimal;
    Process full;
    int minimalPort;
    int fullPort;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        Dns.IMAGE.requireBuilt();
        Path zone = tmp.resolve("example.org.zone");
        Files.writeString(zone, ZONE);
        minimalPort = Ports.freeTcpAndUdp();
        minimal = start("minimal", minimalPort, zone, "--nsid=atoll-test-1", "--tcp.idle-timeout=12s");
        fullPort = Ports.freeTcpAndUdp();
        full = start("full", fullPort, zone, "--answers.minimal=false");
    }

    Process start(String name, int port, Path zone, String... more) throws Exception {
        Path log = tmp.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Dns.IMAGE.launcher().toString(), "--listen=127.0.0.1", "--port=" + port,
                "--state.dir=" + tmp.resolve(name + "-state"), "--zones=example.org.=" + zone));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ImageProcess.of("p", p, log).awaitLine(" ready on target ");
        return p;
    }

    @AfterAll
    void stop() throws Exception {
        for (Process p : new Process[] {minimal, full}) {
            if (p != null) {
                p.destroy();
                assertTrue(p.waitFor(ImageProcess.BOUND_SECONDS, TimeUnit.SECONDS), "appliance did not stop");
                assertEquals(0, p.exitValue());
            }
        }
    }

    String dig(int port, String... args) throws Exception {
        return Dns.dig(port, prepend("@127.0.0.1", args));
    }

    String kdig(int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("@127.0.0.1", "-p", String.valueOf(port), "+norecurse",
                "+retry=0", "+time=5"));
        all.addAll(List.of(args));
        return Peer.ok("kdig", "knot-dnsutils", all.toArray(String[]::new));
    }

    static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static void has(String out, String regex) {
        assertTrue(Pattern.compile(regex, Pattern.DOTALL).matcher(out).find(), () -> regex + " not in:\n" + out);
    }

    @Test
    @Feature({"dname"})
    void dnameIsSynthesizedAndFollowed() throws Exception {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = dig(minimalPort, transport, "host.dn.example.org", "A");
            has(out, "status: NOERROR");
            has(out, "ANSWER: 3,");
            has(out, "dn\\.example\\.org\\.\\s+900\\s+IN\\s+DNAME\\s+target\\.example\\.org\\.");
            // RFC 6672 §3.1: the synthesized CNAME carries the DNAME's TTL.
            has(out, "host\\.dn\\.example\\.org\\.\\s+900\\s+IN\\s+CNAME\\s+host\\.target\\.example\\.org\\.");
            has(out, "host\\.target\\.example\\.org\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.92");
        }
        String nx = kdig(minimalPort, "nothing.dn.example.org", "AAAA");
        has(nx, "status: NXDOMAIN");
        has(nx, "nothing\\.dn\\.example\\.org\\.\\s+900\\s+IN\\s+CNAME\\s+nothing\\.target\\.example\\.org\\.");
        // RFC 6672 §2.2: a substitution longer than a domain name may be is YXDOMAIN.
        String yx = dig(minimalPort, "d".repeat(63) + "." + "e".repeat(60) + ".long.example.org", "A");
        has(yx, "status: YXDOMAIN");
        has(yx, "ANSWER: 1,");
    }

    @Test
    @Feature({"any"})
    void anyGetsOneRrsetOverUdpAndTcp() throws Exception {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = dig(minimalPort, transport, "www.example.org", "ANY");
            has(out, "status: NOERROR");
            has(out, "ANSWER: 1,");
            has(out, "www\\.example\\.org\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.80");
        }
    }

    @Test
    @Feature({"tcp-keepalive"})
    void keepaliveOverTcpOnly() throws Exception {
        // RFC 7828 §3.1: 12 s in units of 100 ms is 120; dig shows it in seconds.
        has(dig(minimalPort, "+tcp", "+keepalive", "www.example.org", "A"), "TCP KEEPALIVE: 12\\.0 secs");
        // kdig 3.2 has no +keepalive: the option by number, empty, over TCP and UDP.
        has(kdig(minimalPort, "+tcp", "+ednsopt=11", "www.example.org", "A"), "Option \\(11\\): 0078");
        String udp = kdig(minimalPort, "+notcp", "+ednsopt=11", "www.example.org", "A");
        has(udp, "status: NOERROR");
        assertFalse(udp.contains("Option (11)"), udp);
        assertFalse(dig(minimalPort, "+tcp", "www.example.org", "A").contains("KEEPALIVE"), "sent only when asked");
    }

    @Test
    @Feature({"nsid"})
    void nsidWhenAskedAndConfigured() throws Exception {
        has(dig(minimalPort, "+nsid", "www.example.org", "A"), "NSID: .*\\(\"atoll-test-1\"\\)");
        has(kdig(minimalPort, "+nsid", "www.example.org", "A"), "NSID: .*atoll-test-1");
        assertFalse(dig(minimalPort, "www.example.org", "A").contains("NSID"), "sent only when asked");
        assertFalse(dig(fullPort, "+nsid", "www.example.org", "A").contains("NSID"), "none configured, none sent");
    }

    /**
     * {@code answers.minimal=false} answers as NSD without {@code minimal-responses} (NSD's
     * default), the peer that has this mode (Knot has none): the same sections, TTLs included, for
     * positive answers, chains, NODATA and NXDOMAIN. NSD runs in the foreground on its own free
     * loopback port, from a temporary directory.
     */
    @Test
    @Feature({"minimal-responses"})
    void nonMinimalAnswersAreNsdsWithoutMinimalResponses() throws Exception {
        Path nsd = Path.of("/usr/sbin/nsd");
        assertTrue(Files.isExecutable(nsd), "nsd not found: install the Debian package 'nsd' (apt-get install nsd)");
        Path dir = tmp.resolve("nsd");
        Files.createDirectories(dir);
        int port = Ports.freeTcpAndUdp();
        Files.writeString(dir.resolve("nsd.conf"), """
                server:
                  ip-address: 127.0.0.1
                  port: %d
                  username: ""
                  chroot: ""
                  zonesdir: "%s"
                  pidfile: "%s/nsd.pid"
                  database: ""
                  zonelistfile: "%s/zone.list"
                  xfrdfile: "%s/xfrd.state"
                  xfrdir: "%s"
                  server-count: 1
                  minimal-responses: no
                  rrl-ratelimit: 0
                remote-control:
                  control-enable: no
                zone:
                  name: example.org
                  zonefile: "%s"
                """.formatted(port, dir, dir, dir, dir, dir, tmp.resolve("example.org.zone")));
        Process p = new ProcessBuilder(nsd.toString(), "-d", "-c", dir.resolve("nsd.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nsd.log").toFile()).start();
        try {
            ImageProcess.of("p", p, dir.resolve("nsd.log")).awaitLine("nsd started");
            int compared = 0;
            for (String q : List.of("www A", "mail A", "example.org MX", "example.org NS", "ns1 A", "www AAAA",
                    "nope A", "host.dn A", "x.dn A", "target A")) {
                String[] nameType = q.split(" ");
                String name = nameType[0].equals("example.org") ? "example.org" : nameType[0] + ".example.org";
                List<String> theirs = sections(dig(port, name, nameType[1]));
                List<String> ours = sections(dig(fullPort, name, nameType[1]));
                assertEquals(theirs, ours, q);
                assertTrue(ours.stream().anyMatch(l -> l.contains(" IN SOA ") || l.contains(" IN NS ")), () -> q + ": " + ours);
                compared++;
            }
            assertEquals(10, compared);
        } finally {
            p.destroy();
            p.waitFor(ImageProcess.BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** dig's status, flags and record lines, whitespace collapsed and sorted (order does not matter). */
    static List<String> sections(String dig) {
        return dig.lines()
                .filter(l -> !l.isBlank() && (!l.startsWith(";") || l.startsWith(";; flags:") || l.startsWith(";; ->>HEADER")))
                .map(l -> l.replaceAll("\\s+", " ").replaceAll("^;; flags: ([^;]*);.*", "flags $1")
                        .replaceAll("^;; ->>HEADER.*status: (\\w+),.*", "status $1"))
                .sorted().toList();
    }

    @Test
    @Feature({"minimal-responses"})
    void nonMinimalAnswersCarryTheNsRrset() throws Exception {
        String out = dig(fullPort, "www.example.org", "A");
        has(out, "AUTHORITY: 1,");
        has(out, "AUTHORITY SECTION:\\s+example\\.org\\.\\s+3600\\s+IN\\s+NS\\s+ns1\\.example\\.org\\.");
        has(out, "ADDITIONAL SECTION:.*ns1\\.example\\.org\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.53");
        has(dig(minimalPort, "www.example.org", "A"), "AUTHORITY: 0,");
    }
}
