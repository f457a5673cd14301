package atoll.libos.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals sent with kill(1) to a real launcher process: SIGTERM and SIGINT stop it cleanly with
 * status 0; SIGHUP, SIGUSR1 and SIGUSR2 each leave one log line and the appliance serving.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SignalTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsCleanly() throws Exception {
        List<String> log = runAndSignal("TERM");
        assertTrue(log.stream().anyMatch(l -> l.endsWith(" INFO  test-app: stopping (signal TERM)")), String.join("\n", log));
        assertTrue(log.getLast().endsWith(" INFO  test-app: stopped"), String.join("\n", log));
    }

    @Test
    void sigintStopsCleanly() throws Exception {
        List<String> log = runAndSignal("INT");
        assertTrue(log.stream().anyMatch(l -> l.endsWith(" INFO  test-app: stopping (signal INT)")), String.join("\n", log));
    }

    /**
     * HUP asks for a reload (the fake appliance has none: one line, still serving), USR1 logs the
     * metrics, USR2 one line; none stops the process, none makes the JVM print anything. Each
     * signal is sent only once the previous one's line is in, then TERM stops it as usual.
     */
    @Test
    void hupUsr1AndUsr2KeepServingWithOneLineEach() throws Exception {
        Process p = child();
        List<String> lines = new ArrayList<>();
        List<String> expected = List.of(
                " ready on target ",
                " INFO  test-app: test-app has nothing to reload; still serving",
                " INFO  test-app: SIGUSR1: metrics: fake.booted=1 test.started=1",
                " INFO  test-app: SIGUSR2: no action is assigned to it; still serving",
                " INFO  test-app: stopping (signal TERM)");
        List<String> send = List.of("HUP", "USR1", "USR2", "TERM");
        // Bounded: if a line never comes, the child is killed and the read below ends.
        java.util.concurrent.CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(p::destroyForcibly);
        int step = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (step < send.size() && line.contains(expected.get(step))) {
                    kill(send.get(step), p);
                    step++;
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String all = String.join("\n", lines);
        assertEquals(0, p.exitValue(), all);
        assertEquals(send.size(), step, "a signal's line never came: " + all);
        assertTrue(lines.stream().anyMatch(l -> l.contains(expected.getLast())), all);
        assertTrue(lines.getLast().endsWith(" INFO  test-app: stopped"), all);
        // Every line is the launcher's own log format: no JVM warning, no stack trace.
        for (String l : lines) {
            assertTrue(l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+Z (INFO |DEBUG) test-app: .*"), "unexpected line: " + l + "\n" + all);
        }
    }

    private Process child() throws Exception {
        Path classes = Path.of("target/classes").toAbsolutePath();
        Path testClasses = Path.of("target/test-classes").toAbsolutePath();
        assertTrue(Files.isDirectory(classes) && Files.isDirectory(testClasses), "run from the module directory");
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", classes + File.pathSeparator + testClasses,
                SignalTestMain.class.getName(), "--state.dir=" + dir.resolve("state"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static void kill(String signal, Process p) throws Exception {
        // kill(1) rather than Process.destroy, which also closes the streams read here.
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    private List<String> runAndSignal(String signal) throws Exception {
        // Surefire runs tests in the module's directory; the child gets the same classes on its class path.
        Path classes = Path.of("target/classes").toAbsolutePath();
        Path testClasses = Path.of("target/test-classes").toAbsolutePath();
        assertTrue(Files.isDirectory(classes) && Files.isDirectory(testClasses), "run from the module directory");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + testClasses,
                SignalTestMain.class.getName(), "--state.dir=" + dir.resolve("state"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.contains(" ready on target ")) {
                    // kill(1) rather than Process.destroy, which also closes the streams read here.
                    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                            .inheritIO().start().waitFor());
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }
}
