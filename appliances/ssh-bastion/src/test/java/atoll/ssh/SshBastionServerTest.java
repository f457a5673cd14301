package atoll.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import atoll.libos.runtime.TargetProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bastion booted in this JVM on a target (one subclass per target), so that the stack's buffer
 * pools can be checked for leaks after bad input and after a real OpenSSH client's channel.
 */
abstract class SshBastionServerTest {
    @TempDir Path tmp;

    protected abstract TargetProvider target();

    SshBastion server;
    Running running;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    void start(String... extra) {
        server = new SshBastion();
        List<String> args = new ArrayList<>(List.of("--listen=127.0.0.1", "--port=0",
                "--state.dir=" + tmp.resolve("state"), "--users.dir=" + tmp.resolve("users"), "--log.level=info"));
        args.addAll(List.of(extra));
        running = Launcher.start(server, "test", args.toArray(String[]::new), target(),
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

    int port() {
        return server.addresses().get(0).getPort();
    }

    /** Reads until the server closes; bounded by the socket timeout. */
    static byte[] readToEnd(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        return s.getInputStream().readAllBytes();
    }

    @Test
    void unreadableTrustedUserCaKeysStopsStartUpNamingTheKey() throws Exception {
        server = new SshBastion();
        Running r = Launcher.start(server, "test", new String[] {"--listen=127.0.0.1", "--port=0",
                "--state.dir=" + tmp.resolve("state"), "--trusted-user-ca-keys=" + tmp.resolve("no-such-file")}, target(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(64, r.awaitExit(), err::toString);
        assertTrue(err.toString().contains("configuration key 'trusted-user-ca-keys'"), err::toString);
    }

    @Test
    void garbageAfterTheIdentificationGetsProtocolErrorAndLeaksNothing() throws Exception {
        Files.createDirectories(tmp.resolve("users"));
        start();
        for (String garbage : List.of("\u0000\u0000\u0000\u0003xyz", "\u00ff\u00ff\u00ff\u00ff", "\u0000\u0000\u0000\u000c\u0002abcdefghijk")) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
                s.getOutputStream().write(("SSH-2.0-probe\r\n" + garbage).getBytes(StandardCharsets.ISO_8859_1));
                String got = new String(readToEnd(s), StandardCharsets.ISO_8859_1);
                assertTrue(got.startsWith("SSH-2.0-Atoll_"), got);
                // SSH_MSG_DISCONNECT, reason 2 (PROTOCOL_ERROR), as a plain packet before any keys.
                assertTrue(got.contains("\u0001\u0000\u0000\u0000\u0002"), "no PROTOCOL_ERROR disconnect for "
                        + garbage.length() + " octets of garbage");
            }
        }
    }

    /** Half a packet, then silence: cut at packet.timeout (the flow's unit deadline), however long login.timeout is. */
    @Test
    void halfAPacketIsCutAtThePacketTimeout() throws Exception {
        start("--packet.timeout=1s", "--login.timeout=10m");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            s.getOutputStream().write("SSH-2.0-probe\r\n\u0000\u0000\u0000\u000c\u0004".getBytes(StandardCharsets.ISO_8859_1));
            String got = new String(readToEnd(s), StandardCharsets.ISO_8859_1);
            assertTrue(got.startsWith("SSH-2.0-Atoll_"), got);
        }
    }

    @Test
    void notSshIsAnsweredProtocolMismatch() throws Exception {
        start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String got = new String(readToEnd(s), StandardCharsets.ISO_8859_1);
            assertTrue(got.endsWith("Protocol mismatch.\r\n"), got);
        }
    }

    /** The real OpenSSH client opens a channel to an echo server here; the echo comes back whole. */
    @Test
    void channelThroughRealClientLeaksNothing() throws Exception {
        Path users = Files.createDirectories(tmp.resolve("users"));
        Path key = tmp.resolve("id");
        run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        Files.copy(tmp.resolve("id.pub"), users.resolve("tester"));
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket c = echo.accept()) {
                    c.getInputStream().transferTo(c.getOutputStream());
                } catch (IOException ignored) {
                    // the test fails on the missing echo instead
                }
            });
            start("--destinations=tester=127.0.0.1:" + echo.getLocalPort());
            byte[] data = new byte[3 * 1024 * 1024];
            new Random(4254).nextBytes(data);
            Path in = tmp.resolve("in.bin");
            Files.write(in, data);
            byte[] out = run(in, "ssh", "-F", "/dev/null", "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                    "-o", "LogLevel=ERROR", "-p", Integer.toString(port()), "-W", "127.0.0.1:" + echo.getLocalPort(),
                    "tester@127.0.0.1");
            assertArrayEquals(data, out, () -> "echo differs; log: " + err);
        }
    }

    /** Unknown keys one after another: the connection ends at auth.max-tries with the sshd wording. */
    @Test
    void tooManyAuthenticationFailures() throws Exception {
        Path users = Files.createDirectories(tmp.resolve("users"));
        List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes"));
        for (int i = 0; i < 3; i++) {
            Path key = tmp.resolve("k" + i);
            run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
            cmd.addAll(List.of("-i", key.toString()));
        }
        Files.writeString(users.resolve("tester"), "");
        start("--auth.max-tries=2");
        cmd.addAll(List.of("-p", Integer.toString(port()), "-W", "127.0.0.1:9", "tester@127.0.0.1"));
        String out = new String(runMerged(cmd), StandardCharsets.UTF_8);
        assertTrue(out.contains("Too many authentication failures"), out);
    }

    /** Past auth.source-failures, a source's next connection is closed before the SSH exchange. */
    @Test
    void sourceWithTooManyFailuresIsRefused() throws Exception {
        Path users = Files.createDirectories(tmp.resolve("users"));
        Files.writeString(users.resolve("tester"), "");
        Path key = tmp.resolve("stranger");
        run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        start("--auth.max-tries=1", "--auth.source-failures=2", "--auth.source-window=10m");
        List<String> cmd = List.of("ssh", "-F", "/dev/null", "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-p", Integer.toString(port()), "-W", "127.0.0.1:9", "tester@127.0.0.1");
        for (int i = 0; i < 2; i++) {
            String out = new String(runMerged(cmd), StandardCharsets.UTF_8);
            assertTrue(out.contains("Too many authentication failures"), out);
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            // Closed at once: not even the identification line.
            assertEquals(0, readToEnd(s).length);
        }
    }

    /** A channel that carries nothing either way: the connection ends at idle.timeout. */
    @Test
    void idleConnectionIsClosed() throws Exception {
        Path users = Files.createDirectories(tmp.resolve("users"));
        Path key = tmp.resolve("id");
        run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        Files.copy(tmp.resolve("id.pub"), users.resolve("tester"));
        try (ServerSocket quiet = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            start("--destinations=tester=127.0.0.1:" + quiet.getLocalPort(), "--idle.timeout=2s");
            // stdin stays open and silent; the destination accepts and says nothing.
            Process p = new ProcessBuilder("ssh", "-F", "/dev/null", "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                    "-p", Integer.toString(port()), "-W", "127.0.0.1:" + quiet.getLocalPort(), "tester@127.0.0.1")
                    .redirectErrorStream(true).start();
            try (Socket accepted = quiet.accept()) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ssh still connected after the idle timeout");
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(out.contains("idle timeout"), out);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    static byte[] runMerged(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + String.join(" ", cmd));
        return out;
    }

    static byte[] run(Path stdin, String... cmd) throws Exception {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        b.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p;
        try {
            p = b.start();
        } catch (IOException missing) {
            throw new AssertionError(cmd[0] + " is not installed: apt-get install openssh-client", missing);
        }
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + String.join(" ", cmd));
        return out;
    }
}
