package atoll.openvpn.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import atoll.openvpn.OpenVpnGateway;
import atoll.testkit.Targets;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenVPN 2.6 client (Debian {@code openvpn}) against the gateway on loopback, control
 * path only and without a tun device ({@code --dev null --ifconfig-noexec}, as OpenVPN's own
 * t_server_null does): the client must accept the gateway's tls-crypt-wrapped HARD_RESET_SERVER_V2
 * (it logs "TLS: Initial packet from") and the gateway must receive the client's TLS ClientHello
 * through tls-crypt (or tls-auth), the cookie check and the reliability layer, over UDP and over
 * TCP. A client holding another key, or the wrong tls-auth direction, gets nothing: every packet of
 * its is dropped on the tag.
 */
class OpenVpnClientTest {
    @TempDir Path tmp;
    Running running;
    Process client;
    OpenVpnGateway gateway;
    /** The client's --proto: udp, or tcp-client. */
    String proto = "udp";
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.destroy();
            if (!client.waitFor(10, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
        if (running != null && running.devices() != null) {
            var pool = running.devices().network().bufferPool();
            var streamPool = running.devices().network().streamBufferPool();
            assertEquals(0, running.stop(), () -> "clean stop: " + err);
            pool.assertNoLeaks();
            streamPool.assertNoLeaks();
        }
    }

    int startGateway(String... extra) throws Exception {
        gateway = new OpenVpnGateway();
        List<String> args = new ArrayList<>(List.of("--port=0", "--state.dir=" + tmp.resolve("state"), "--log.level=info"));
        args.addAll(List.of(extra));
        running = Launcher.start(gateway, "test", args.toArray(String[]::new), Targets.named("socket"), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertTrue(running.isRunning(), () -> "did not start: " + err);
        return gateway.udpAddress().getPort();
    }

    /** Starts the client; its output lines are collected into {@code lines}. */
    void startClient(int port, Path key, ConcurrentLinkedQueue<String> lines) throws Exception {
        startClient(port, lines, "--tls-crypt", key.toString());
    }

    void startClient(int port, ConcurrentLinkedQueue<String> lines, String... protection) throws Exception {
        String openvpn = Peers.require("openvpn", "openvpn");
        Peers.clientCertificate(tmp);
        List<String> cmd = new ArrayList<>(List.of(openvpn, "--client", "--dev", "null", "--ifconfig-noexec",
                "--proto", proto, "--remote", "127.0.0.1", Integer.toString(port), "--nobind",
                "--ca", "ca.pem", "--cert", "client.pem", "--key", "client.key",
                "--data-ciphers", "AES-256-GCM", "--hand-window", "20", "--connect-retry-max", "1",
                "--resolv-retry", "0", "--verb", "4"));
        cmd.addAll(List.of(protection));
        client = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(client.getInputStream()))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        assertTrue(reader.isAlive() || !client.isAlive());
    }

    /** Waits (at most 10 s) for the client's output, read on another thread, to show {@code text}. */
    boolean awaitLine(ConcurrentLinkedQueue<String> lines, String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (lines.stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    long metric(String name) {
        return running.devices().metrics().snapshot().getOrDefault(name, 0L);
    }

    @Test
    void stockClientGetsThroughTlsCryptAndTheCookieToItsClientHello() throws Exception {
        int port = startGateway();
        Path key = tmp.resolve("state").resolve("tls-crypt.key");
        assertTrue(Files.exists(key), "the gateway generated its tls-crypt key in the state store");
        var lines = new ConcurrentLinkedQueue<String>();
        startClient(port, key, lines);
        // Bounded wait (30 s): the client sends its reset at once and TLS right after our answer.
        for (int i = 0; i < 300 && metric("openvpn.tls.client-hellos") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        String clientLog = String.join("\n", lines);
        assertEquals(1, metric("openvpn.tls.client-hellos"), () -> "gateway:\n" + err + "\nclient:\n" + clientLog);
        assertEquals(1, metric("openvpn.sessions.opened"));
        assertEquals(0, metric("openvpn.drops.bad-tag"), () -> "gateway:\n" + err);
        assertEquals(0, metric("openvpn.drops.no-cookie"), () -> "gateway:\n" + err);
        assertTrue(awaitLine(lines, "TLS: Initial packet from"),
                () -> "the client accepted the gateway's reset:\n" + clientLog);
    }

    /**
     * The profile tool's {@code .ovpn}, unchanged, run by the stock client ({@code --dev null} and
     * {@code --ifconfig-noexec} given after it only so that no tun device is needed): the client
     * parses the inline CA, certificate, key and tls-crypt key and reaches the gateway's TLS.
     */
    @Test
    void aProfileFromTheToolIsAcceptedByTheStockClient() throws Exception {
        startGateway();
        Path state = tmp.resolve("state");
        var out = new ByteArrayOutputStream();
        var errOut = new ByteArrayOutputStream();
        int status = atoll.openvpn.tool.Profiles.main(new String[] {"client1", "--state.dir=" + state,
            "--remote=127.0.0.1:" + gateway.udpAddress().getPort()}, new PrintStream(out, true), new PrintStream(errOut, true));
        assertEquals(0, status, errOut::toString);
        Path profile = state.resolve("client1.ovpn");
        assertEquals(profile.toString(), out.toString().strip());
        for (String f : List.of("ca.pem", "ca.key", "server.pem", "server.key", "tls-crypt.key")) {
            assertTrue(Files.exists(state.resolve(f)), f);
        }
        String openvpn = Peers.require("openvpn", "openvpn");
        var lines = new ConcurrentLinkedQueue<String>();
        client = new ProcessBuilder(openvpn, "--config", profile.toString(), "--dev", "null", "--ifconfig-noexec",
                "--verb", "4", "--connect-retry-max", "1").directory(tmp.toFile()).redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(client.getInputStream()))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        for (int i = 0; i < 300 && metric("openvpn.tls.client-hellos") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        String clientLog = String.join("\n", lines);
        assertEquals(1, metric("openvpn.tls.client-hellos"), () -> "gateway:\n" + err + "\nclient:\n" + clientLog);
        assertTrue(awaitLine(lines, "TLS: Initial packet from"), clientLog);
        // A second client reuses the CA, server certificate and tls-crypt key.
        String ca = Files.readString(state.resolve("ca.pem"));
        assertEquals(0, atoll.openvpn.tool.Profiles.main(new String[] {"client2", "--state.dir=" + state},
                new PrintStream(out, true), new PrintStream(errOut, true)));
        assertEquals(ca, Files.readString(state.resolve("ca.pem")));
        assertTrue(Files.readString(state.resolve("client2.ovpn")).contains(ca.strip()));
        assertEquals(64, atoll.openvpn.tool.Profiles.main(new String[] {"../evil", "--state.dir=" + state},
                new PrintStream(out, true), new PrintStream(errOut, true)));
    }

    /**
     * With the certificates the profile tool made, TLS is terminated through libos/tls and key
     * method 2 is exchanged: the stock client logs "Peer Connection Initiated" (it then asks for
     * its configuration, which the gateway does not push yet).
     */
    @Test
    void tlsAndKeyMethod2CompleteWithTheStockClient() throws Exception {
        Path state = tmp.resolve("state");
        var out = new ByteArrayOutputStream();
        // The tool first, so that the gateway finds server.pem/server.key and the tls-crypt key; the
        // profile names a port free a moment ago, which the gateway then binds.
        int free;
        try (var probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        assertEquals(0, atoll.openvpn.tool.Profiles.main(new String[] {"client1", "--state.dir=" + state,
            "--remote=127.0.0.1:" + free}, new PrintStream(out, true), new PrintStream(out, true)), out::toString);
        startGateway("--port=" + free, "--proto=udp");
        var lines = new ConcurrentLinkedQueue<String>();
        client = new ProcessBuilder(Peers.require("openvpn", "openvpn"), "--config", state.resolve("client1.ovpn").toString(),
                "--dev", "null", "--ifconfig-noexec", "--verb", "4",
                "--connect-retry-max", "1").directory(tmp.toFile()).redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(client.getInputStream()))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        for (int i = 0; i < 300 && lines.stream().noneMatch(l -> l.contains("Peer Connection Initiated")) && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        String clientLog = String.join("\n", lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("Peer Connection Initiated")),
                () -> "gateway:\n" + err + "\nclient:\n" + clientLog);
        assertEquals(1, metric("openvpn.key-exchanges"), () -> "gateway:\n" + err);
        // It asks for its configuration and gets the pool's first client address.
        assertTrue(awaitLine(lines, "Initialization Sequence Completed"),
                () -> "gateway:\n" + err + "\nclient:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("PUSH: Received control message")
                && l.contains("ifconfig 10.8.0.2 255.255.255.0")), () -> String.join("\n", lines));
        assertEquals(1, metric("openvpn.pushes"));
        assertEquals("client1 10.8.0.2\n", Files.readString(state.resolve("ifconfig-pool")),
                "the lease is stored under the verified certificate's common name");
        // tls-ekm keys: the client's first keepalive ping (after 10 s idle) decrypts and is answered.
        for (int i = 0; i < 250 && metric("openvpn.data.pings") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(metric("openvpn.data.pings") >= 1, () -> "gateway:\n" + err + "\nclient:\n" + String.join("\n", lines));
    }

    /** A client whose certificate another CA signed fails TLS at the gateway and never gets keys. */
    @Test
    void aClientCertificateFromAnotherCaIsRejected() throws Exception {
        Path state = tmp.resolve("state");
        var out = new ByteArrayOutputStream();
        assertEquals(0, atoll.openvpn.tool.Profiles.main(new String[] {"client1", "--state.dir=" + state},
                new PrintStream(out, true), new PrintStream(out, true)), out::toString);
        int port = startGateway("--proto=udp");
        Peers.clientCertificate(tmp); // tmp/client.pem from a CA the gateway does not trust
        var lines = new ConcurrentLinkedQueue<String>();
        client = new ProcessBuilder(Peers.require("openvpn", "openvpn"), "--client", "--dev", "null", "--ifconfig-noexec",
                "--proto", "udp", "--remote", "127.0.0.1", Integer.toString(port), "--nobind",
                "--tls-crypt", state.resolve("tls-crypt.key").toString(), "--ca", state.resolve("ca.pem").toString(),
                "--cert", "client.pem", "--key", "client.key", "--verb", "4", "--connect-retry-max", "1")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(client.getInputStream()))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        for (int i = 0; i < 300 && metric("openvpn.tls.failures") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertEquals(1, metric("openvpn.tls.failures"), () -> "gateway:\n" + err + "\nclient:\n" + String.join("\n", lines));
        assertEquals(0, metric("openvpn.key-exchanges"));
        assertEquals(0, metric("openvpn.sessions"));
        assertTrue(lines.stream().noneMatch(l -> l.contains("Peer Connection Initiated")));
    }

    @Test
    void stockClientOverTcpGetsToItsClientHello() throws Exception {
        startGateway();
        proto = "tcp-client";
        var lines = new ConcurrentLinkedQueue<String>();
        startClient(gateway.tcpAddress().getPort(), tmp.resolve("state").resolve("tls-crypt.key"), lines);
        for (int i = 0; i < 300 && metric("openvpn.tls.client-hellos") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        String clientLog = String.join("\n", lines);
        assertEquals(1, metric("openvpn.tls.client-hellos"), () -> "gateway:\n" + err + "\nclient:\n" + clientLog);
        assertEquals(0, metric("openvpn.drops.bad-tag"));
        assertTrue(awaitLine(lines, "TLS: Initial packet from"), clientLog);
        client.destroy();
        client.waitFor(10, TimeUnit.SECONDS);
        // The connection's end forgets the session (bounded wait).
        for (int i = 0; i < 100 && metric("openvpn.sessions") != 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, metric("openvpn.sessions"), () -> "gateway:\n" + err);
    }

    @Test
    void stockClientWithTlsAuthGetsToItsClientHello() throws Exception {
        int port = startGateway("--control.protection=tls-auth");
        Path key = tmp.resolve("state").resolve("tls-auth.key");
        var lines = new ConcurrentLinkedQueue<String>();
        // OpenVPN's default --auth is SHA1, as is the gateway's tls-auth.digest; direction 1 for the client.
        startClient(port, lines, "--tls-auth", key.toString(), "1");
        for (int i = 0; i < 300 && metric("openvpn.tls.client-hellos") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        String clientLog = String.join("\n", lines);
        assertEquals(1, metric("openvpn.tls.client-hellos"), () -> "gateway:\n" + err + "\nclient:\n" + clientLog);
        assertEquals(0, metric("openvpn.drops.bad-tag"));
        assertTrue(awaitLine(lines, "TLS: Initial packet from"), clientLog);
    }

    @Test
    void aTlsAuthClientWithTheWrongDirectionIsDroppedOnTheTag() throws Exception {
        int port = startGateway("--control.protection=tls-auth", "--tls-auth.digest=SHA256");
        var lines = new ConcurrentLinkedQueue<String>();
        startClient(port, lines, "--tls-auth", tmp.resolve("state").resolve("tls-auth.key").toString(), "0",
                "--auth", "SHA256");
        for (int i = 0; i < 300 && metric("openvpn.drops.bad-tag") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(metric("openvpn.drops.bad-tag") >= 1, () -> "gateway:\n" + err + "\nclient:\n" + String.join("\n", lines));
        assertEquals(0, metric("openvpn.sessions.opened"));
    }

    @Test
    void aClientWithAnotherTlsCryptKeyIsDroppedOnTheTag() throws Exception {
        int port = startGateway();
        Path other = tmp.resolve("other.key");
        Peers.run(tmp, Peers.require("openvpn", "openvpn"), "--genkey", "tls-crypt", other.toString());
        var lines = new ConcurrentLinkedQueue<String>();
        startClient(port, other, lines);
        for (int i = 0; i < 300 && metric("openvpn.drops.bad-tag") == 0 && client.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(metric("openvpn.drops.bad-tag") >= 1, () -> "gateway:\n" + err + "\nclient:\n" + String.join("\n", lines));
        assertEquals(0, metric("openvpn.sessions.opened"));
        assertEquals(0, running.devices().metrics().snapshot().getOrDefault("openvpn.sessions", -1L));
    }
}
