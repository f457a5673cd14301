package atoll.libos.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.log.AtollLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** {@link Running#reload()}, what SIGHUP calls: each outcome is one log line and the appliance serves on. */
@Isolated // log output is global
class ReloadTest {
    @TempDir Path dir;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final FakeAppliance app = new FakeAppliance();
    private Level savedLevel;
    private Running running;

    @BeforeEach
    void start() {
        savedLevel = AtollLog.level();
        AtollLog.setOutput(new PrintStream(logs, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        running = Launcher.start(app, "1", new String[] {"--state.dir=" + dir.resolve("state")}, new FakeTarget(),
                new PrintStream(sink), new PrintStream(sink));
        assertTrue(running.isRunning());
    }

    @AfterEach
    void restore() throws InterruptedException {
        running.stop();
        AtollLog.setOutput(null);
        AtollLog.setLevel(savedLevel);
    }

    private List<String> lines() {
        return logs.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void anApplianceWithoutReloadSaysSoAndServesOn() {
        assertInstanceOf(ReloadOutcome.Unsupported.class, running.reload());
        assertTrue(lines().getLast().endsWith(" INFO  test-app: test-app has nothing to reload; still serving"), lines().toString());
        assertTrue(running.isRunning());
        assertEquals(List.of("start", "reload"), app.events);
    }

    @Test
    void reloadedAndFailedAreLoggedAsOneLine() {
        app.reloadOutcome = new ReloadOutcome.Reloaded("2 zones");
        running.reload();
        assertTrue(lines().getLast().endsWith(" INFO  test-app: reloaded: 2 zones"), lines().toString());
        app.reloadOutcome = new ReloadOutcome.Failed("a.zone:3: bad TTL 'x'");
        running.reload();
        assertTrue(lines().getLast().endsWith(
                " ERROR test-app: reload failed, still serving the previous data: a.zone:3: bad TTL 'x'"), lines().toString());
        assertTrue(running.isRunning());
    }

    @Test
    void aReloadThatThrowsIsAFailureAndTheApplianceServesOn() {
        app.reloadFailure = new IllegalStateException("disk on fire");
        ReloadOutcome o = running.reload();
        assertEquals(new ReloadOutcome.Failed("disk on fire"), o);
        assertTrue(logs.toString(StandardCharsets.UTF_8).contains(
                "reload failed, still serving the previous data: disk on fire"), logs::toString);
        assertTrue(running.isRunning());
    }

    @Test
    void noReloadOnceTheStopWasRequested() throws InterruptedException {
        running.requestStop("test");
        assertInstanceOf(ReloadOutcome.Failed.class, running.reload());
        assertEquals(0, running.awaitExit());
        assertEquals(List.of("start", "stop"), app.events);
    }
}
