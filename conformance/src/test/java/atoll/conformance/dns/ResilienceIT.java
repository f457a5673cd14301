package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image under the signals an attack probe tried, seen by dig and kdig: SIGHUP reloads
 * the zone file (and keeps the old zone when the new one is broken); SIGUSR1 and SIGUSR2 leave it
 * serving with one log line each; zone-file octets reach dig unchanged; an RRset too large for any
 * message is TC=1 over UDP and SERVFAIL over TCP. Loopback only; every wait is bounded. (The
 * start-up errors are the image's own checks, in the dns-server module's {@code ImageIT}.)
 */
@Tag("dns-server")
@Tag("socket")
class ResilienceIT {
    static final String HEAD = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster %d 7200 3600 1209600 300\n"
            + "  NS ns1\nns1 A 192.0.2.53\n";

    @TempDir Path tmp;

    @Test
    @Feature({"master-octets", "too-large", "reload"})
    void signalsOctetsAndAnRRsetTooLargeForAnyMessage() throws Exception {
        Path zone = tmp.resolve("example.com.zone");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 300; i++) { // about 79 000 octets of TXT
            big.append("big TXT \"").append(String.format("%03d", i)).append("z".repeat(247)).append("\"\n");
        }
        // "caf" + UTF-8 é (c3 a9), and a comment holding an octet that is not UTF-8.
        Files.write(zone, (HEAD.formatted(1) + "v TXT \"caf\u00c3\u00a9\" ; \u00ff\n" + big)
                .getBytes(StandardCharsets.ISO_8859_1));
        int port = Ports.freeTcpAndUdp();
        try (ImageProcess p = Dns.IMAGE.start(tmp.resolve("server.log"), "--listen=127.0.0.1", "--port=" + port,
                "--state.dir=" + tmp.resolve("state"), "--zones=example.com.=" + zone)) {
            p.awaitReady();
            assertTrue(p.log().contains("does not fit in a DNS message"), p.log());

            // RFC 1035 §5.1: the octets of the file, shown by dig as \DDD.
            assertEquals("\"caf\\195\\169\"\n", Dns.dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));

            String udp = Dns.dig(port, "@127.0.0.1", "+notcp", "+ignore", "big.example.com", "TXT");
            assertTrue(udp.matches("(?s).*flags: qr aa tc;.*"), udp);
            String tcp = Dns.dig(port, "@127.0.0.1", "+tcp", "big.example.com", "TXT");
            assertTrue(tcp.contains("status: SERVFAIL"), tcp);
            String kdig = Peer.ok("kdig", "knot-dnsutils", "@127.0.0.1", "-p", String.valueOf(port), "+tcp",
                    "+norecurse", "big.example.com", "TXT");
            assertTrue(kdig.contains("status: SERVFAIL"), kdig);

            // SIGHUP: the new file is served; a broken one is refused and the old data stays.
            Files.write(zone, (HEAD.formatted(2) + "v TXT \"two\"\n").getBytes(StandardCharsets.US_ASCII));
            p.signal("HUP");
            p.awaitLine(" INFO  dns-server: reloaded: loaded zone example.com. from " + zone + ": 4 records, serial 2");
            assertEquals("\"two\"\n", Dns.dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));
            Files.write(zone, (HEAD.formatted(3) + "v TXT \"three\"\nw A 192.0.2.300\n").getBytes(StandardCharsets.US_ASCII));
            p.signal("HUP");
            p.awaitLine(" ERROR dns-server: reload failed, still serving the previous data: " + zone
                    + ":7: bad IPv4 address '192.0.2.300'");
            assertEquals("\"two\"\n", Dns.dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));

            p.signal("USR1");
            p.awaitLine(" INFO  dns-server: SIGUSR1: metrics: ");
            p.signal("USR2");
            p.awaitLine(" INFO  dns-server: SIGUSR2: no action is assigned to it; still serving");
            assertEquals("\"two\"\n", Dns.dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));

            String all = p.stop();
            assertTrue(all.strip().endsWith("INFO  dns-server: stopped"), all);
            // Only the appliance's own log lines: no JVM warning, no stack trace.
            for (String l : all.lines().toList()) {
                assertTrue(l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+Z (INFO |WARN |ERROR|DEBUG) dns-server: .*"), "unexpected: " + l);
            }
        }
    }
}
