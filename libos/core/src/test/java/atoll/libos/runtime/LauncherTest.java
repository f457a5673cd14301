package atoll.libos.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.log.AtollLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated // log level, log output and the atoll.config property are global
class LauncherTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final FakeAppliance app = new FakeAppliance();
    private final FakeTarget target = new FakeTarget();
    private Level savedLevel;

    @BeforeEach
    void captureLogs() {
        savedLevel = AtollLog.level();
        AtollLog.setOutput(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        AtollLog.setOutput(null);
        AtollLog.setLevel(savedLevel);
        System.clearProperty(Launcher.CONFIG_PROPERTY);
    }

    /** Arguments plus a state directory inside the test's temporary directory. */
    private String[] args(String... extra) {
        List<String> a = new ArrayList<>(Arrays.asList(extra));
        a.add("--state.dir=" + dir.resolve("state"));
        return a.toArray(String[]::new);
    }

    private Running start(String... args) {
        return Launcher.start(app, "1.2.3", args, target, print(out), print(err));
    }

    private int run(String... args) {
        return Launcher.run(app, "1.2.3", args, target, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private String oneErrorLine() {
        String e = text(err);
        assertTrue(e.endsWith("\n"), e);
        assertEquals(1, e.lines().count(), "exactly one line expected:\n" + e);
        assertTrue(e.startsWith("test-app: "), e);
        return e.strip();
    }

    @Test
    void helpListsEveryKeyInGroups() {
        assertEquals(0, run("--help"));
        String help = text(out);
        assertTrue(help.startsWith("usage: test-app "), help);
        for (String key : List.of("log.level", "state.dir", "data.dir", "shutdown.grace", "fake.mtu", "port",
                "greeting", "verbose")) {
            assertTrue(help.contains("\n  " + key + " "), key + " missing:\n" + help);
        }
        assertTrue(help.indexOf("runtime keys") < help.indexOf("target (fake) keys"));
        assertTrue(help.indexOf("target (fake) keys") < help.indexOf("appliance (test-app) keys"));
        assertTrue(help.indexOf("appliance (test-app) keys") < help.indexOf("  greeting "));
        assertEquals("", text(err));
        assertTrue(app.events.isEmpty(), "help must not start the appliance");
        assertNull(target.bootedWith, "help must not boot the target");
    }

    @Test
    void version() {
        assertEquals(0, run("--version"));
        assertEquals("test-app 1.2.3 (target fake, Java " + Runtime.version() + ")\n", text(out));
        assertTrue(app.events.isEmpty());
    }

    @Test
    void unknownKeyIsOneLineNamingKeyAndValue() {
        assertEquals(Launcher.EX_USAGE, run(args("--colour=blue")));
        String line = oneErrorLine();
        assertTrue(line.contains("'colour'") && line.contains("'blue'"), line);
        assertTrue(app.events.isEmpty());
        assertNull(target.bootedWith);
    }

    @Test
    void badValueNamesKeyValueAndWhatIsAccepted() {
        assertEquals(Launcher.EX_USAGE, run(args("--port=70000")));
        String line = oneErrorLine();
        assertTrue(line.contains("'port'") && line.contains("'70000'") && line.contains("an integer from 1 to 65535"),
                line);
    }

    @Test
    void badArgumentIsOneLine() {
        assertEquals(Launcher.EX_USAGE, run(args("serve")));
        assertTrue(oneErrorLine().contains("'serve'"));
    }

    @Test
    void configFileThenCommandLineOverrides() throws Exception {
        Path conf = dir.resolve("app.conf");
        Files.writeString(conf, """
                # test configuration
                port = 1000
                greeting = from the file
                fake.mtu = 9000
                """);
        Running r = start(args("--config=" + conf, "--port=2000", "--verbose"));
        assertTrue(r.isRunning(), text(err));
        assertEquals(2000, r.devices().config().get(FakeAppliance.PORT));
        assertEquals("from the file", r.devices().config().get(FakeAppliance.GREETING));
        assertEquals(true, r.devices().config().get(FakeAppliance.VERBOSE));
        assertEquals(9000, target.bootedWith.get(FakeTarget.MTU));
        assertEquals(0, r.stop());
    }

    @Test
    void badValueInTheFileNamesFileAndLine() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "greeting = x\nport = 0\n");
        assertEquals(Launcher.EX_USAGE, run(args("--config=" + conf)));
        String line = oneErrorLine();
        assertTrue(line.contains(conf + ":2: ") && line.contains("'0'") && line.contains("'port'"), line);
        // The same key overridden on the command line is no longer the file's fault.
        assertEquals(0, start(args("--config=" + conf, "--port=53")).stop());
    }

    @Test
    void malformedOrMissingConfigFileIs64() throws Exception {
        Path conf = dir.resolve("broken.conf");
        Files.writeString(conf, "port 53\n");
        assertEquals(Launcher.EX_USAGE, run(args("--config=" + conf)));
        assertTrue(oneErrorLine().contains(conf + ":1: "));
        err.reset();
        assertEquals(Launcher.EX_USAGE, run(args("--config=" + dir.resolve("absent.conf"))));
        assertTrue(oneErrorLine().contains("absent.conf"));
    }

    @Test
    void configPropertyIsTheDefaultFile() throws Exception {
        Path conf = dir.resolve("image.conf");
        Files.writeString(conf, "greeting = from the image\n");
        System.setProperty(Launcher.CONFIG_PROPERTY, conf.toString());
        Running r = start(args());
        assertEquals("from the image", r.devices().config().get(FakeAppliance.GREETING));
        assertEquals(0, r.stop());
        // An explicit --config replaces it.
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "port = 99\n");
        r = start(args("--config=" + other));
        assertEquals("hi", r.devices().config().get(FakeAppliance.GREETING));
        assertEquals(99, r.devices().config().get(FakeAppliance.PORT));
        assertEquals(0, r.stop());
    }

    @Test
    void startupExceptionIsOneLineAnd64AndShutsTheTargetDown() {
        app.startFailure = new StartupException("zones/example.zone:3: bad TTL 'x'");
        assertEquals(Launcher.EX_USAGE, run(args()));
        assertEquals("test-app: zones/example.zone:3: bad TTL 'x'", oneErrorLine());
        assertEquals(1, target.shutdowns.get());
    }

    @Test
    void otherStartFailureIs70() {
        app.startFailure = new IllegalStateException("bug");
        assertEquals(Launcher.EX_SOFTWARE, run(args()));
        assertTrue(oneErrorLine().contains("bug"));
        assertEquals(1, target.shutdowns.get());
        assertTrue(text(logs).contains("start failed: java.lang.IllegalStateException: bug"), text(logs));
    }

    @Test
    void bootStartupExceptionIs64() {
        target.bootFailure = new StartupException("cannot bind 0.0.0.0:53: permission denied");
        assertEquals(Launcher.EX_USAGE, run(args()));
        assertEquals("test-app: cannot bind 0.0.0.0:53: permission denied", oneErrorLine());
        assertTrue(app.events.isEmpty());
    }

    @Test
    void theTargetKeyChoosesAmongTheImagesTargets() throws Exception {
        FakeTarget other = new FakeTarget("other");
        List<TargetProvider> both = List.of(target, other);
        Running r = Launcher.startAmong(app, "1", args("--target=other"), both, print(out), print(err));
        assertTrue(r.isRunning(), text(err));
        assertNull(target.bootedWith);
        assertNotNull(other.bootedWith);
        assertEquals(0, r.stop());
        assertEquals(1, other.shutdowns.get());
        assertEquals(0, target.shutdowns.get());
    }

    @Test
    void withoutTheTargetKeyTheFirstTargetBootsAndHelpListsEveryTargetsKeys() throws Exception {
        FakeTarget other = new FakeTarget("other");
        Running r = Launcher.startAmong(app, "1", args(), List.of(target, other), print(out), print(err));
        assertTrue(r.isRunning(), text(err));
        assertNotNull(target.bootedWith);
        assertNull(other.bootedWith);
        assertEquals(0, r.stop());

        Running help = Launcher.startAmong(app, "1", new String[] {"--help"}, List.of(target, other), print(out), print(err));
        assertEquals(0, help.awaitExit());
        String h = text(out);
        assertTrue(h.contains("\n  target ") && h.contains("target (fake) keys") && h.contains("target (other) keys"), h);
    }

    @Test
    void anUnknownTargetIsOneLineNamingTheChoices() {
        FakeTarget other = new FakeTarget("other");
        Running r = Launcher.startAmong(app, "1", args("--target=tap"), List.of(target, other), print(out), print(err));
        assertFalse(r.isRunning());
        String line = oneErrorLine();
        assertTrue(line.contains("'target'") && line.contains("'tap'") && line.contains("one of fake, other"), line);
        assertNull(target.bootedWith);
        assertNull(other.bootedWith);
    }

    @Test
    void noTargetFoundIs70() {
        // The core module alone provides no TargetProvider.
        assertEquals(Launcher.EX_SOFTWARE, Launcher.run(app, "1", args(), null, print(out), print(err)));
        assertTrue(oneErrorLine().contains("no target module found"));
    }

    @Test
    void stopHandleRunsTheStopSequence() throws Exception {
        Running r = start(args("--shutdown.grace=250ms", "--log.level=debug"));
        assertTrue(r.isRunning(), text(err));
        assertEquals(Level.DEBUG, AtollLog.level());
        assertEquals(List.of("start"), app.events);
        assertEquals(0, r.stop());
        assertFalse(r.isRunning());
        assertEquals(List.of("start", "stop"), app.events);
        assertEquals(Duration.ofMillis(250), app.stopGrace);
        assertEquals(Duration.ofMillis(250), target.shutdownGrace);
        assertEquals(1, target.shutdowns.get());
        assertEquals(0, r.awaitExit(), "exit status is stable");
        assertEquals(1, target.shutdowns.get(), "stop runs once");

        String log = text(logs);
        List<String> lines = log.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* INFO  test-app: test-app 1\\.2\\.3 ready on target fake, pid "
                + ProcessHandle.current().pid() + ", in \\d+ ms")), log);
        assertTrue(log.contains("test-app: stopping (stop requested)"), log);
        assertTrue(log.contains("test-app: metrics: fake.booted=1 test.started=1"), log);
        assertTrue(lines.getLast().endsWith(" INFO  test-app: stopped"), log);
        assertEquals("", text(err));
    }

    @Test
    @Timeout(30) // without the runtime's health watch nothing ends the wait: fail rather than hang
    void aFailedTargetStopsTheApplianceInOrderWithStatus70() throws Exception {
        Running r = start(args());
        assertTrue(r.isRunning(), text(err));
        target.health = new Health.Failed("event loop: timer task failed with java.lang.StackOverflowError");
        // No stop is requested by the test: the runtime's own watch of the target's health must do it.
        assertEquals(Launcher.EX_SOFTWARE, r.awaitExit());
        assertEquals(List.of("start", "stop"), app.events);
        assertEquals(1, target.shutdowns.get());
        String log = text(logs);
        assertTrue(log.contains("test-app: target failed (event loop: timer task failed with"
                + " java.lang.StackOverflowError); stopping so that a supervisor restarts the process"), log);
        assertTrue(log.contains("test-app: stopping (target failed)"), log);
        assertTrue(log.lines().toList().getLast().endsWith(" INFO  test-app: stopped"), log);
    }

    @Test
    void logLevelIsLeftAloneUnlessConfigured() throws Exception {
        AtollLog.setLevel(Level.TRACE); // as -Datoll.log.level=trace would
        Running r = start(args());
        assertEquals(Level.TRACE, AtollLog.level());
        assertEquals(0, r.stop());
        Path conf = dir.resolve("level.conf");
        Files.writeString(conf, "log.level = warning\n");
        r = start(args("--config=" + conf));
        assertEquals(Level.WARNING, AtollLog.level());
        assertEquals(0, r.stop());
    }

    @Test
    void requestStopFromAnotherThreadWakesRun() throws Exception {
        // What the SIGTERM handler does: requestStop on its own thread while run() waits.
        Running r = start(args());
        Thread stopper = Thread.ofVirtual().start(() -> r.requestStop("signal TERM"));
        assertEquals(0, r.awaitExit());
        stopper.join();
        assertTrue(text(logs).contains("stopping (signal TERM)"), text(logs));
    }

    @Test
    void devicesHaveStoresLayeredAndStateCreated() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("hello.txt"), "operator hello\n");
        Running r = start(args("--data.dir=" + data));
        Devices d = r.devices();
        assertNotNull(d.network());
        assertNotNull(d.clock());
        assertNotNull(d.entropy());
        assertArrayEquals("operator hello\n".getBytes(StandardCharsets.UTF_8), d.data().read("hello.txt"));
        assertArrayEquals("embedded only\n".getBytes(StandardCharsets.UTF_8), d.data().read("only-embedded.txt"));
        assertEquals(List.of("hello.txt", "only-embedded.txt"), d.data().list(""));
        assertTrue(Files.isDirectory(dir.resolve("state")));
        d.state().write("k", new byte[] {1});
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("state/k")));
        assertEquals(0, r.stop());

        Running embeddedOnly = start(args());
        assertArrayEquals("embedded hello\n".getBytes(StandardCharsets.UTF_8),
                embeddedOnly.devices().data().read("hello.txt"));
        assertEquals(0, embeddedOnly.stop());
    }

    @Test
    void missingDataDirIs64() {
        assertEquals(Launcher.EX_USAGE, run(args("--data.dir=" + dir.resolve("nowhere"))));
        String line = oneErrorLine();
        assertTrue(line.contains("'data.dir'") && line.contains("nowhere"), line);
        assertNull(target.bootedWith);
    }

    @Test
    void helpSaysWhatEachSignalDoes() {
        assertEquals(0, run("--help"));
        String help = text(out);
        assertTrue(help.contains("\nSignals:\n"), help);
        for (String s : List.of("TERM, INT  stop in order", "HUP        reload", "USR1       log the metrics line",
                "USR2       log one line")) {
            assertTrue(help.contains(s), s + " not in:\n" + help);
        }
    }
}
