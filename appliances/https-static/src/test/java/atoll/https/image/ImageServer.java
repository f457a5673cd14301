package atoll.https.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built image ({@code target/image/bin/https-static}) run as a separate process on loopback,
 * with free ports it picks itself (read back from its log), and the command-line peers the tests
 * drive against it.
 */
final class ImageServer implements AutoCloseable {
    static final Path IMAGE = Path.of(System.getProperty("atoll.image.dir", "target/image"));
    static final String NAME = System.getProperty("atoll.image.name", "https-static");
    static final Path LAUNCHER = IMAGE.resolve("bin").resolve(NAME);
    /** Upper bound on start-up and on one peer run, so a hang fails the test instead of the build. */
    static final long BOUND_SECONDS = 120;

    final Process process;
    final Path log;
    final Path state;
    final int httpsPort;
    /** With port 0 each address gets its own port. */
    final int httpsPort6;
    final int httpPort;

    static void imageIsBuilt() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("atoll.image.skip")), "image build skipped (-Dimage.skip=true)");
        assertTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER + ": run mvn package first");
    }

    ImageServer(Path dir, String... extra) throws Exception {
        imageIsBuilt();
        Files.createDirectories(dir);
        this.log = dir.resolve("server.log");
        this.state = dir.resolve("state");
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString(), "--listen=127.0.0.1,::1", "--port=0",
                "--http.port=0", "--state.dir=" + state));
        cmd.addAll(List.of(extra));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (!Files.readString(log).contains(" ready on target ")) {
            if (!process.isAlive()) {
                fail("appliance exited: " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail("appliance never became ready: " + Files.readString(log));
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        String text = Files.readString(log);
        httpsPort = port(text, "https on 127\\.0\\.0\\.1:(\\d+)");
        httpsPort6 = port(text, "https on \\[::1\\]:(\\d+)");
        httpPort = text.contains("http on 127.0.0.1:") ? port(text, "http on 127\\.0\\.0\\.1:(\\d+)") : -1;
    }

    private static int port(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + log);
        return Integer.parseInt(m.group(1));
    }

    Path ca() {
        return state.resolve("tls/dev-ca.pem");
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGTERM, then the exit status must be 0. */
    @Override
    public void close() throws Exception {
        process.destroy();
        assertTrue(process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "appliance did not stop");
        assertEquals(0, process.exitValue(), this::log);
    }

    record Result(int status, String out) {}

    /** Runs a peer with stdin closed; a missing one fails naming the Debian package to install. */
    static Result peer(String tool, String debianPackage, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException missing) {
            throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage, missing);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(tool + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
