package atoll.conformance.openvpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import atoll.conformance.Feature;
import atoll.conformance.Image;
import atoll.testkit.netns.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with a real tunnel: the stock OpenVPN 2.6 client with a tun device, the built image
 * and an HTTP server, in two network namespaces the test creates and deletes (DESIGN §8). The
 * gateway's namespace holds the image (listening on 192.0.2.1 over a veth pair) and the far side,
 * an HTTP server on 198.51.100.10; the client's namespace holds {@code openvpn --dev tun0}, which
 * gets 10.8.0.2 and the pushed route to 198.51.100.0/24, and the client programs (ping, curl).
 *
 * <p>Checks: ping to the gateway's tunnel address (answered by libos's ICMP engine inside the
 * gateway); an HTTP GET through the tunnel to the far server, relayed by the gateway's user-space
 * NAT, content checked by SHA-256; a destination the policy does not allow refused at once (TCP
 * reset: curl's "couldn't connect") and a UDP datagram to a port it does not allow refused by
 * ICMP, both counted in the gateway's metrics; a UDP datagram to an allowed port (a UDP echo on
 * 198.51.100.10:7) relayed and its echo back through the tunnel; the same with CHACHA20-POLY1305 when the client offers only that, and over
 * OpenVPN's TCP transport.
 */
@Tag("openvpn-gw")
@Tag("socket")
class TunnelIT {
    static final Path LAUNCHER = Image.of("openvpn-gw").launcher();

    /** A run of the image as a command (the {@code profile} tool): its exit status and output. */
    record Run(int status, String out) {}
    /** The size of the file fetched through the tunnel. */
    static final int FILE_OCTETS = 4 << 20;
    static final Duration CLIENT_LIMIT = Duration.ofSeconds(60);

    @TempDir Path tmp;

    @BeforeAll
    static void imageIsBuilt() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("atoll.image.skip")), "image build skipped (-Dimage.skip=true)");
        assertTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER + ": run mvn package first");
    }

    @Test
    @Feature("gateway")
    void pingHttpAndRefusalsThroughARealTunnel() throws Exception {
        NetworkNamespace.requirePrivileges();
        NetworkNamespace.requireCommand("openvpn", "openvpn");
        NetworkNamespace.requireCommand("curl", "curl");
        NetworkNamespace.requireCommand("ping", "iputils-ping");
        Path state = tmp.resolve("state");
        Path site = Files.createDirectories(tmp.resolve("site"));
        byte[] file = new byte[FILE_OCTETS];
        new Random(11).nextBytes(file);
        Files.write(site.resolve("data.bin"), file);
        Run profile = run("profile", "alice", "--state.dir=" + state, "--remote=192.0.2.1:1194", "--proto=udp");
        assertEquals(0, profile.status(), profile.out());
        try (NetworkNamespace gw = NetworkNamespace.create(); NetworkNamespace cl = NetworkNamespace.create()) {
            gw.ip("link", "add", "vpn0", "type", "veth", "peer", "name", "vpn1", "netns", cl.name());
            gw.ip("address", "add", "192.0.2.1/24", "dev", "vpn0");
            gw.ip("link", "set", "vpn0", "up");
            cl.ip("address", "add", "192.0.2.2/24", "dev", "vpn1");
            cl.ip("link", "set", "vpn1", "up");
            gw.ip("address", "add", "198.51.100.10/32", "dev", "lo");
            Path serverLog = tmp.resolve("http.log");
            gw.start(NetworkNamespace.javaCommand(UpstreamHttpServer.class, "198.51.100.10", "8080", site.toString()),
                    serverLog);
            awaitLog(serverLog, "listening", null);
            Path udpEchoLog = tmp.resolve("udp-echo.log");
            gw.start(NetworkNamespace.javaCommand(UpstreamUdpEcho.class, "198.51.100.10", "7"), udpEchoLog);
            awaitLog(udpEchoLog, "listening", null);
            Path gatewayLog = tmp.resolve("gateway.log");
            Process gateway = gw.start(List.of(LAUNCHER.toString(), "--listen=192.0.2.1", "--proto=udp,tcp",
                    "--state.dir=" + state, "--gateway.allow=198.51.100.10/32:8080,198.51.100.10/32:7", "--push.routes=198.51.100.0/24",
                    "--log.level=info"), gatewayLog);
            awaitLog(gatewayLog, " ready ", gateway);

            Path clientLog = tmp.resolve("client.log");
            Process client = cl.start(List.of("openvpn", "--config", state.resolve("alice.ovpn").toString(),
                    "--dev", "tun0", "--verb", "3", "--connect-retry-max", "1"), clientLog);
            awaitLog(clientLog, "Initialization Sequence Completed", client);
            assertTrue(Files.readString(gatewayLog).contains("cipher AES-256-GCM"), () -> read(gatewayLog));

            // ICMP echo to the gateway's tunnel address, answered by the tunnel stack.
            NetworkNamespace.Result ping = cl.exec(CLIENT_LIMIT, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.8.0.1");
            assertEquals(0, ping.status(), () -> ping.output() + "\n" + read(gatewayLog));
            assertTrue(ping.output().contains("3 received"), ping.output());

            // HTTP through the tunnel: terminated in the gateway's stack, relayed to the far server.
            Path fetched = tmp.resolve("fetched.bin");
            NetworkNamespace.Result get = cl.exec(CLIENT_LIMIT, "curl", "-sS", "--max-time", "50", "-o",
                    fetched.toString(), "http://198.51.100.10:8080/data.bin");
            assertEquals(0, get.status(), () -> get.output() + "\n" + read(gatewayLog) + "\n" + read(clientLog));
            assertArrayEquals(sha256(file), sha256(Files.readAllBytes(fetched)), "content through the tunnel");

            // A port the policy does not allow: reset at once (curl: "couldn't connect", status 7).
            NetworkNamespace.Result denied = cl.exec(CLIENT_LIMIT, "curl", "-sS", "--max-time", "20",
                    "http://198.51.100.10:8081/");
            assertEquals(7, denied.status(), denied.output());
            // A UDP datagram: refused by ICMP administratively prohibited (bash's /dev/udp sends one;
            // sent again, at most 5 times, until the gateway's metrics show it arrived).
            long udpRefused = 0;
            for (int i = 0; i < 5 && udpRefused == 0; i++) {
                NetworkNamespace.Result udp = cl.exec(CLIENT_LIMIT, "bash", "-c", "echo hello > /dev/udp/198.51.100.10/53");
                assertEquals(0, udp.status(), udp.output());
                udpRefused = metricsNow(gateway, gatewayLog).getOrDefault("gateway.udp.refused", 0L);
            }
            assertTrue(udpRefused >= 1, () -> read(gatewayLog));
            // A UDP datagram to an allowed port: relayed to the far echo, whose answer comes back
            // from 198.51.100.10:7 (bash's /dev/udp connects its socket, so only that source is read;
            // dd reads the datagram whole, where bash's read would take one octet and lose the rest).
            // At most 5 tries of 5 s each.
            String echoed = "";
            for (int i = 0; i < 5 && !echoed.contains("got:hello-through-the-tunnel"); i++) {
                echoed = cl.exec(CLIENT_LIMIT, "bash", "-c", "exec 3<>/dev/udp/198.51.100.10/7; "
                        + "echo hello-through-the-tunnel >&3; "
                        + "line=$(timeout 5 dd bs=2048 count=1 status=none <&3) && echo \"got:$line\"").output();
            }
            String udpEchoed = echoed;
            assertTrue(udpEchoed.contains("got:hello-through-the-tunnel"), () -> udpEchoed + "\n" + read(gatewayLog));

            stop(client);
            // The client's other cipher: only ChaCha20-Poly1305 offered, negotiated from IV_CIPHERS.
            Path chachaLog = tmp.resolve("client-chacha.log");
            Process chacha = cl.start(List.of("openvpn", "--config", state.resolve("alice.ovpn").toString(),
                    "--dev", "tun0", "--verb", "3", "--connect-retry-max", "1", "--data-ciphers", "CHACHA20-POLY1305"),
                    chachaLog);
            awaitLog(chachaLog, "Initialization Sequence Completed", chacha);
            NetworkNamespace.Result ping2 = cl.exec(CLIENT_LIMIT, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.8.0.1");
            assertEquals(0, ping2.status(), () -> ping2.output() + "\n" + read(gatewayLog));
            NetworkNamespace.Result get2 = cl.exec(CLIENT_LIMIT, "curl", "-sS", "--max-time", "50", "-o",
                    fetched.toString(), "http://198.51.100.10:8080/data.bin");
            assertEquals(0, get2.status(), get2.output());
            assertArrayEquals(sha256(file), sha256(Files.readAllBytes(fetched)), "content through the ChaCha20 tunnel");
            assertTrue(read(gatewayLog).contains("cipher CHACHA20-POLY1305"), () -> read(gatewayLog));
            stop(chacha);

            // OpenVPN over TCP: the same tunnel, the packets framed on one TCP connection.
            Path tcpLog = tmp.resolve("client-tcp.log");
            Process overTcp = cl.start(List.of("openvpn", "--config", state.resolve("alice.ovpn").toString(),
                    "--dev", "tun0", "--verb", "3", "--connect-retry-max", "1", "--proto", "tcp-client"), tcpLog);
            awaitLog(tcpLog, "Initialization Sequence Completed", overTcp);
            NetworkNamespace.Result ping3 = cl.exec(CLIENT_LIMIT, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.8.0.1");
            assertEquals(0, ping3.status(), () -> ping3.output() + "\n" + read(gatewayLog));
            NetworkNamespace.Result get3 = cl.exec(CLIENT_LIMIT, "curl", "-sS", "--max-time", "50", "-o",
                    fetched.toString(), "http://198.51.100.10:8080/data.bin");
            assertEquals(0, get3.status(), get3.output());
            assertArrayEquals(sha256(file), sha256(Files.readAllBytes(fetched)), "content through the tunnel over TCP");
            stop(overTcp);

            gateway.destroy(); // SIGTERM: the metrics line is logged at the stop
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM");
            assertEquals(0, gateway.exitValue(), () -> read(gatewayLog));
            Map<String, Long> m = metrics(read(gatewayLog));
            assertEquals(7, m.getOrDefault("icmp.tx.echo_replies", 0L), m::toString);
            assertEquals(3, m.getOrDefault("gateway.tcp.relayed", 0L), m::toString);
            assertEquals(1, m.getOrDefault("gateway.tcp.refused", 0L), m::toString);
            assertEquals(udpRefused, m.getOrDefault("gateway.udp.refused", 0L), m::toString);
            assertTrue(m.getOrDefault("gateway.udp.relayed", 0L) >= 1, m::toString);
            assertEquals(0, m.getOrDefault("gateway.udp.over-cap", 0L) + m.getOrDefault("gateway.udp.upstream-failed", 0L)
                    + m.getOrDefault("gateway.udp.rx.foreign-source", 0L), m::toString);
            assertEquals(0, m.getOrDefault("gateway.tcp.upstream-failed", 0L), m::toString);
            assertEquals(0, m.getOrDefault("openvpn.drops.data-bad-tag", 0L), m::toString);
            assertEquals(0, m.getOrDefault("openvpn.drops.tunnel-source", 0L), () -> read(gatewayLog));
            assertEquals(udpRefused, m.getOrDefault("icmp.tx.errors", 0L), m::toString); // the UDP refusals
            assertEquals(0, m.getOrDefault("gateway.no-buffer", 0L) + m.getOrDefault("gateway.tx.no-client", 0L),
                    m::toString);
        }
    }

    /** The gateway's metrics now: SIGUSR1 makes it log its metrics line (waited for, at most 10 s). */
    static Map<String, Long> metricsNow(Process gateway, Path log) throws Exception {
        long before = read(log).lines().filter(l -> l.contains("SIGUSR1: metrics")).count();
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(gateway.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -USR1 failed");
        for (int i = 0; i < 100; i++) {
            String text = read(log);
            if (text.lines().filter(l -> l.contains("SIGUSR1: metrics")).count() > before) {
                return metrics(text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no metrics line after SIGUSR1:\n" + read(log));
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** The name=value pairs of the last metrics line in the log. */
    static Map<String, Long> metrics(String log) {
        Map<String, Long> out = new TreeMap<>();
        String last = log.lines().filter(l -> l.contains("metrics")).reduce((a, b) -> b).orElse("");
        Matcher m = Pattern.compile("([a-z0-9_.-]+)=(\\d+)").matcher(last);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    Run run(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("run.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "no exit in 120 s");
        return new Run(p.exitValue(), Files.readString(out));
    }

    /** Waits (at most 60 s) for {@code text} in {@code log}; fails early if {@code process} exits. */
    static void awaitLog(Path log, String text, Process process) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (read(log).contains(text)) {
                return;
            }
            if (process != null && !process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in " + log + ":\n" + read(log));
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
