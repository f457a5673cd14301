package atoll.libos.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.log.AtollLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Every configuration or start-up problem with the runtime's own keys and files: exit status 64
 * and exactly one line on stderr that names the key (or file) and the cause, with no Java
 * exception class name in it.
 */
@Isolated // log level and output are global
class StartupErrorsTest {
    /** A Java class name as it would leak from an exception's toString. */
    static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|sun|jdk)\\.[a-z]+\\.|[A-Za-z]+(Exception|Error)\\b");

    @TempDir Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeAppliance app = new FakeAppliance();
    private final FakeTarget target = new FakeTarget();
    private Level savedLevel;

    @BeforeEach
    void quiet() {
        savedLevel = AtollLog.level();
        AtollLog.setOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        AtollLog.setOutput(null);
        AtollLog.setLevel(savedLevel);
    }

    /** Runs with {@code args} (state in the temporary directory unless given) and returns the one error line. */
    private String usageError(String... args) throws InterruptedException {
        List<String> a = new java.util.ArrayList<>(List.of(args));
        if (a.stream().noneMatch(s -> s.startsWith("--state.dir="))) {
            a.add("--state.dir=" + dir.resolve("state"));
        }
        Running r = Launcher.start(app, "1", a.toArray(String[]::new), target,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(r.isRunning());
        assertEquals(Launcher.EX_USAGE, r.awaitExit(), err::toString);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), () -> "want exactly one line: " + lines);
        String line = lines.getFirst();
        assertTrue(line.startsWith("test-app: "), line);
        assertFalse(CLASS_NAME.matcher(line).find(), () -> "names a Java class: " + line);
        assertTrue(app.events.isEmpty(), "the appliance never started");
        return line;
    }

    @Test
    void aDirectoryAsTheConfigFile() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        String line = usageError("--config=" + d);
        assertTrue(line.contains("config file " + d + " (--config): is a directory"), line);
        assertTrue(line.contains("expected a readable file of 'key = value' lines"), line);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anUnreadableConfigFile() throws Exception {
        // Write-only for everyone, root included: the kernel refuses reads of this sysctl.
        Path writeOnly = Path.of("/proc/sys/vm/compact_memory");
        assertTrue(Files.exists(writeOnly), "this test needs " + writeOnly + " (Linux with CONFIG_COMPACTION)");
        String line = usageError("--config=" + writeOnly);
        assertTrue(line.contains("config file " + writeOnly + " (--config): permission denied"), line);
    }

    @Test
    void aMissingConfigFile() throws Exception {
        String line = usageError("--config=" + dir.resolve("absent.conf"));
        assertTrue(line.contains("absent.conf (--config): does not exist"), line);
    }

    @Test
    void stateDirThatIsAFile() throws Exception {
        Path f = Files.writeString(dir.resolve("plain-file"), "x");
        String line = usageError("--state.dir=" + f);
        assertTrue(line.contains("configuration key 'state.dir'") && line.contains(f.toString())
                && line.contains("is not a directory"), line);
    }

    @Test
    void stateDirUnderAFile() throws Exception {
        Path f = Files.writeString(dir.resolve("plain-file"), "x");
        String line = usageError("--state.dir=" + f.resolve("state"));
        assertTrue(line.contains("configuration key 'state.dir'") && line.contains("not a directory"), line);
    }

    @Test
    void dataDirMissingOrAFile() throws Exception {
        String line = usageError("--data.dir=" + dir.resolve("nowhere"));
        assertTrue(line.contains("configuration key 'data.dir'") && line.contains("does not exist"), line);
        err.reset();
        Path f = Files.writeString(dir.resolve("plain-file"), "x");
        line = usageError("--data.dir=" + f);
        assertTrue(line.contains("configuration key 'data.dir'") && line.contains("is not a directory"), line);
        err.reset();
        line = usageError("--data.dir=a\0b");
        assertTrue(line.contains("'data.dir'"), line);
    }
}
