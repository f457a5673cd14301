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

/** SIGTERM and SIGINT stop a real launcher process cleanly with status 0. */
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
