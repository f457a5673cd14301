package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The image with DNS cookies enforced and response rate limiting on, against real clients on
 * loopback: dig and kdig with {@code +cookie} get a server cookie back and are answered; a wrong
 * server cookie gets BADCOOKIE from dig's point of view; a bounded flood from 127.0.0.1 is limited
 * (drops and slips counted in the metrics the image prints at stop) while 127.0.0.2, another
 * source, is answered in full.
 */
@Tag("dns-server")
@Tag("socket")
class GuardsDigIT {
    /** Queries in the flood: far more than the one-a-second rate lets through in any run. */
    private static final int FLOOD = 60;
    @TempDir Path tmp;

    @Test
    @Feature({"cookies", "rrl"})
    void cookiesAndRateLimitingAgainstDigAndKdig() throws Exception {
        Dns.IMAGE.requireBuilt();
        int port = Ports.freeTcpAndUdp();
        ImageProcess server = Dns.IMAGE.start(tmp.resolve("server.log"), Map.of(), List.of("--listen=127.0.0.1",
                "--port=" + port, "--state.dir=" + tmp.resolve("state"), "--cookies=enforce",
                "--cookies.secret=e5e973e5a6b2a43f48e7dc849e37bfcf", "--rrl.rate=1", "--rrl.slip=2",
                "--rrl.ipv4-prefix=32"));
        String log;
        try {
            // Over TCP: not rate limited, so readiness probes spend no UDP tokens.
            server.await("an answer over TCP on port " + port,
                    () -> Dns.resolver(port, true).send(Dns.query("www.example.com.", Type.A)) != null);
            // A valid cookie exempts from rate limiting: dig's first query carries only a client
            // cookie (limited like any other), so each client asks from its own source address.
            String dig = Peer.ok("dig", "dnsutils", "@127.0.0.1", "-b", "127.0.0.3", "-p",
                    String.valueOf(port), "+cookie", "+tries=1", "+time=2", "www.example.com", "A");
            assertTrue(dig.contains("status: NOERROR"), dig);
            Matcher cookie = Pattern.compile("; COOKIE: ([0-9a-f]{16})([0-9a-f]{32}) \\(good\\)").matcher(dig);
            assertTrue(cookie.find(), "dig saw no good server cookie:\n" + dig);
            assertTrue(cookie.group(2).startsWith("01000000"), "RFC 9018 version 1, reserved 0: " + dig);
            // Sent back as it was given: answered normally.
            String again = Peer.ok("dig", "dnsutils", "@127.0.0.1", "-b", "127.0.0.3", "-p",
                    String.valueOf(port), "+cookie=" + cookie.group(1) + cookie.group(2), "+tries=1", "+time=2",
                    "www.example.com", "A");
            assertTrue(again.contains("status: NOERROR") && again.contains("192.0.2.80"), again);
            // A server cookie this server never made: BADCOOKIE (dig retries with the fresh one
            // it got unless told not to).
            String wrong = Peer.ok("dig", "dnsutils", "@127.0.0.1", "-b", "127.0.0.4", "-p",
                    String.valueOf(port), "+cookie=" + cookie.group(1) + "01000000" + "00".repeat(12),
                    "+nobadcookie", "+tries=1", "+time=2", "www.example.com", "A");
            assertTrue(wrong.contains("status: BADCOOKIE"), wrong);
            assertTrue(wrong.contains("; COOKIE: " + cookie.group(1)), wrong);
            String kdig = Peer.ok("kdig", "knot-dnsutils", "@127.0.0.1", "-b", "127.0.0.5", "-p",
                    String.valueOf(port), "+cookie", "+retry=0", "+timeout=2", "www.example.com", "A");
            assertTrue(kdig.contains("status: NOERROR") && kdig.contains("192.0.2.80"), kdig);
            assertTrue(Pattern.compile("COOKIE: [0-9A-Fa-f]{48}").matcher(kdig).find(), kdig);

            // The flood: FLOOD queries from 127.0.0.1, each awaited at most a second.
            int answered = 0;
            int truncated = 0;
            int silent = 0;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
                s.setSoTimeout(1000);
                for (int i = 0; i < FLOOD; i++) {
                    Message r = exchange(s, port, i);
                    if (r == null) {
                        silent++;
                    } else if (r.getHeader().getFlag(Flags.TC)) {
                        truncated++;
                    } else {
                        answered++;
                    }
                }
            }
            assertTrue(silent > 0 && truncated > 0, "answered " + answered + ", truncated " + truncated
                    + ", silent " + silent);
            // Another source has its own bucket.
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
                s.setSoTimeout(5000);
                Message r = exchange(s, port, FLOOD);
                assertNotNull(r, "127.0.0.2 got no answer");
                assertFalse(r.getHeader().getFlag(Flags.TC));
                assertEquals(1, r.getSection(Section.ANSWER).size());
            }
            log = server.stop();
        } finally {
            server.close();
        }
        Map<String, Long> metrics = AttackIT.metrics(log);
        assertTrue(metrics.getOrDefault("dns.rrl.dropped", 0L) > 0, log);
        assertTrue(metrics.getOrDefault("dns.rrl.slipped", 0L) > 0, log);
        assertTrue(metrics.getOrDefault("dns.cookie.client-only", 0L) >= 2, log);
        assertEquals(1L, metrics.getOrDefault("dns.cookie.badcookie-sent", 0L), log);
    }

    private static Message exchange(DatagramSocket s, int port, int id) throws IOException {
        Message q = Dns.query("www.example.com.", Type.A);
        q.getHeader().setID(id);
        byte[] wire = q.toWire();
        s.send(new DatagramPacket(wire, wire.length, InetAddress.getByName("127.0.0.1"), port));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (true) {
            try {
                s.receive(p);
            } catch (SocketTimeoutException dropped) {
                return null;
            }
            Message r = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
            if (r.getHeader().getID() == id) {
                return r;
            }
            // A late answer to an earlier query: not this one's; keep waiting (bounded by the timeout).
        }
    }
}
