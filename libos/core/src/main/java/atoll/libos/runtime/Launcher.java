package atoll.libos.runtime;

import atoll.libos.config.CommandLine;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigException;
import atoll.libos.config.ConfigFile;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.HelpPrinter;
import atoll.libos.entropy.Entropies;
import atoll.libos.log.AtollLog;
import atoll.libos.metrics.SimpleMetrics;
import atoll.libos.store.DirectoryStore;
import atoll.libos.store.FileErrors;
import atoll.libos.store.LayeredStore;
import atoll.libos.store.ReadOnlyStore;
import atoll.libos.store.ReadWriteStore;
import atoll.libos.store.ResourceStore;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs an appliance: parses the command line, loads and validates configuration, boots the target
 * chosen by the {@code target} key among those found by {@link java.util.ServiceLoader}, builds the {@link Devices}, starts the appliance, waits
 * for SIGTERM/SIGINT, stops it, flushes the stores and returns the exit status.
 *
 * <p>Exit statuses (sysexits.h): 0 after a clean stop or for {@code --help}/{@code --version};
 * {@value #EX_USAGE} for a configuration or data problem, printed as one line
 * {@code <appliance>: <message>} on standard error; {@value #EX_SOFTWARE} for anything else.
 *
 * <p>Configuration precedence: defaults, then the configuration file ({@code --config=FILE}, or
 * else the file named by the system property {@value #CONFIG_PROPERTY}, which the image launcher
 * sets), then {@code --key=value} on the command line.
 */
public final class Launcher {
    private Launcher() {}

    /** Exit status for a usage or configuration error (sysexits.h EX_USAGE). */
    public static final int EX_USAGE = 64;
    /** Exit status for an internal error (sysexits.h EX_SOFTWARE). */
    public static final int EX_SOFTWARE = 70;
    /** System property naming the default configuration file (set by the image launcher). */
    public static final String CONFIG_PROPERTY = "atoll.config";

    /** System property the image launcher sets to the image's directory. */
    public static final String HOME_PROPERTY = "atoll.home";

    /** Runs {@code appliance} to completion; {@code main} passes the result to System.exit. */
    public static int run(Appliance appliance, String version, String[] args) {
        return run(appliance, version, args, null, System.out, System.err);
    }

    /**
     * Runs {@code appliance} to completion: starts it as {@link #start} does, then waits for
     * SIGTERM or SIGINT and stops it.
     *
     * @param target the target to boot, or null to choose one with the {@code target} key among
     *     those {@link ServiceLoader} finds
     * @param out where {@code --help} and {@code --version} go
     * @param err where start-up errors go (one line each); log records go to {@link AtollLog}'s
     *     output
     */
    public static int run(Appliance appliance, String version, String[] args, TargetProvider target,
            PrintStream out, PrintStream err) {
        // Handlers go in before start-up, so that a signal right after "ready" is never lost to
        // the JVM's default action. A signal that arrives before the handle exists (during
        // start-up, or between the "ready" line and the handle) is kept and acted on once it does:
        // a stop signal stops the appliance once it has started, the others run then.
        Logger log = log(appliance);
        Object lock = new Object();
        Running[] current = new Running[1];
        List<String> pending = new ArrayList<>();
        Consumer<String> onSignal = name -> {
            Running running;
            synchronized (lock) {
                running = current[0];
                if (running == null) {
                    pending.add(name);
                    return;
                }
            }
            onSignal(name, running, log);
        };
        try (SignalTrap _ = SignalTrap.install(SIGNALS, onSignal, log)) {
            Running running = start(appliance, version, args, target, out, err);
            List<String> early;
            synchronized (lock) {
                current[0] = running;
                early = List.copyOf(pending);
            }
            for (String name : early) {
                onSignal(name, running, log);
            }
            return awaitUninterruptibly(running);
        }
    }

    private static void onSignal(String name, Running running, Logger log) {
        if (STOP_SIGNALS.contains(name)) {
            running.requestStop("signal " + name);
            return;
        }
        if (!running.isRunning()) {
            return; // start-up failed or a stop is under way: nothing to reload or report
        }
        switch (name) {
            case "HUP" -> running.reload();
            case "USR1" -> log.log(Level.INFO, "SIGUSR1: metrics: " + running.metricsSummary());
            default -> log.log(Level.INFO, "SIG" + name + ": no action is assigned to it; still serving");
        }
    }

    /** What {@code --help} says about signals, after the keys. */
    static final String SIGNALS_HELP = """

            Signals:
              TERM, INT  stop in order: finish in-flight work within shutdown.grace, flush the state,
                         log the metrics line, exit 0
              HUP        reload the appliance's data (an appliance without reload logs one line);
                         broken new data is refused and the old data stays in service
              USR1       log the metrics line; keep serving
              USR2       log one line; keep serving
              QUIT       the JVM prints a thread dump on stderr; keep serving
            """;

    /** Signals that ask for the orderly stop (drain, flush, metrics line, exit 0). */
    private static final List<String> STOP_SIGNALS = List.of("TERM", "INT");

    /**
     * Every signal the launcher handles: besides the stop signals, SIGHUP asks the appliance to
     * {@linkplain Appliance#reload reload}, SIGUSR1 logs the metrics line, SIGUSR2 is logged and
     * otherwise ignored. Left to the JVM: SIGQUIT (a thread dump on stderr, then serving on);
     * SIGPIPE is ignored by the JVM. SIGKILL cannot be caught: it ends the process with no stop.
     */
    private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "USR1", "USR2");

    private static int awaitUninterruptibly(Running running) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return running.awaitExit();
                } catch (InterruptedException e) {
                    interrupted = true;
                    running.requestStop("interrupted");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts {@code appliance} and returns once it is serving (or start-up ended), without waiting
     * for signals: the returned handle stops it. This is what tests and embedders use; the handle
     * of a start-up that ended early (help, version, an error) is already exited with its status.
     *
     * @param target the target to boot, or null to choose one with the {@code target} key among
     *     those {@link ServiceLoader} finds
     */
    public static Running start(Appliance appliance, String version, String[] args, TargetProvider target,
            PrintStream out, PrintStream err) {
        return startAmong(appliance, version, args, target == null ? null : List.of(target), out, err);
    }

    /**
     * Starts {@code appliance} on the target among {@code available} that the {@code target} key
     * chooses ({@code socket} if offered and the key is not set, else the first); otherwise as
     * {@link #start(Appliance, String, String[], TargetProvider, PrintStream, PrintStream)}.
     *
     * @param available the targets to choose from, or null for those {@link ServiceLoader} finds
     */
    public static Running startAmong(Appliance appliance, String version, String[] args, List<TargetProvider> available,
            PrintStream out, PrintStream err) {
        String app = appliance.name();
        Logger log = log(appliance);
        Instant begun = Instant.now();

        List<TargetProvider> targets;
        if (available != null && !available.isEmpty()) {
            targets = List.copyOf(available);
        } else {
            try {
                targets = findTargets();
            } catch (StartupException e) {
                return fail(err, app, e.getMessage(), EX_SOFTWARE);
            }
        }
        TargetProvider target;
        ConfigKey<String> targetKey = RuntimeKeys.target(targets.stream().map(TargetProvider::name).toList());

        Map<String, List<ConfigKey<?>>> groups = new LinkedHashMap<>();
        List<ConfigKey<?>> runtimeKeys = new ArrayList<>(RuntimeKeys.all());
        runtimeKeys.add(targetKey);
        groups.put("runtime", List.copyOf(runtimeKeys));
        // Every target the image carries declares its keys; the one the target key chooses reads them.
        Map<String, TargetProvider> byName = new LinkedHashMap<>();
        for (TargetProvider t : targets) {
            if (byName.putIfAbsent(t.name(), t) != null) {
                return fail(err, app, "two target modules are called '" + t.name() + "'", EX_SOFTWARE);
            }
            groups.put("target (" + t.name() + ")", List.copyOf(t.configKeys()));
        }
        groups.put("appliance (" + app + ")", List.copyOf(appliance.configKeys()));
        List<ConfigKey<?>> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (List<ConfigKey<?>> group : groups.values()) {
            for (ConfigKey<?> k : group) {
                // Two targets may share a key name (both declare the same meaning); a clash with
                // the runtime or the appliance is a programming error.
                if (!names.add(k.name()) && !sharedTargetKey(k, groups)) {
                    return fail(err, app, "configuration key '" + k.name() + "' is declared twice", EX_SOFTWARE);
                }
                if (keys.stream().noneMatch(x -> x.name().equals(k.name()))) {
                    keys.add(k);
                }
            }
        }

        Config config;
        boolean explicitLevel;
        try {
            CommandLine cl = CommandLine.parse(args, keys);
            if (cl.help()) {
                out.print(HelpPrinter.render(app, groups));
                out.print(SIGNALS_HELP);
                out.flush();
                return Running.exited(0);
            }
            if (cl.version()) {
                out.println(app + " " + version + " (target" + (targets.size() == 1 ? " " : "s ")
                        + String.join(", ", byName.keySet()) + ", Java " + Runtime.version() + ")");
                out.flush();
                return Running.exited(0);
            }
            ConfigFile file = configFile(cl);
            Map<String, String> merged = new LinkedHashMap<>(file.values());
            merged.putAll(cl.overrides());
            explicitLevel = merged.containsKey(RuntimeKeys.LOG_LEVEL.name());
            try {
                config = Config.of(keys, merged);
            } catch (ConfigException e) {
                // Say where a bad value came from when it was the file, not the command line.
                String where = e.key() == null || cl.overrides().containsKey(e.key()) ? null : file.where(e.key());
                throw where == null ? e : new ConfigException(e.key(), where + ": " + e.getMessage());
            }
        } catch (ConfigException e) {
            return fail(err, app, e.getMessage(), EX_USAGE);
        }
        target = byName.get(config.get(targetKey));

        if (explicitLevel) {
            // Otherwise the level stays as -Datoll.log.level (or INFO) set it.
            AtollLog.setLevel(config.get(RuntimeKeys.LOG_LEVEL));
        }
        // DEBUG only: a start-up that fails must leave exactly one line (the error) on stderr.
        log.log(Level.DEBUG, "starting " + app + " " + version + " on target " + target.name()
                + ", pid " + ProcessHandle.current().pid());

        Duration grace = config.get(RuntimeKeys.SHUTDOWN_GRACE);
        ReadOnlyStore data;
        DirectoryStore state;
        try {
            data = dataStore(appliance, config);
            state = stateStore(config);
        } catch (StartupException e) {
            return fail(err, app, e.getMessage(), EX_USAGE);
        } catch (RuntimeException e) {
            log.log(Level.ERROR, "cannot open the stores", e);
            return fail(err, app, "internal error opening the stores: " + words(e), EX_SOFTWARE);
        }

        SimpleMetrics metrics = new SimpleMetrics();
        Platform platform;
        try {
            platform = target.boot(config, metrics);
        } catch (StartupException | ConfigException e) {
            return fail(err, app, e.getMessage(), EX_USAGE);
        } catch (Exception | Error e) {
            log.log(Level.ERROR, "target " + target.name() + " failed to boot", e);
            return fail(err, app, "internal error: target " + target.name() + " failed to boot: " + words(e), EX_SOFTWARE);
        }

        Devices devices = new Devices(platform.network(), platform.clock(), Entropies.secure(), data, state,
                metrics, config);
        try {
            appliance.start(devices);
        } catch (StartupException | ConfigException e) {
            shutdownQuietly(platform, grace, log);
            return fail(err, app, e.getMessage(), EX_USAGE);
        } catch (OutOfMemoryError e) {
            // The data does not fit in the heap the JVM was given: the operator's setting to change.
            stopQuietly(appliance, grace, log);
            shutdownQuietly(platform, grace, log);
            return fail(err, app, words(e), EX_USAGE);
        } catch (Exception | Error e) {
            log.log(Level.ERROR, "start failed", e);
            stopQuietly(appliance, grace, log);
            shutdownQuietly(platform, grace, log);
            return fail(err, app, "internal error: start failed: " + words(e), EX_SOFTWARE);
        }

        log.log(Level.INFO, app + " " + version + " ready on target " + target.name() + ", pid "
                + ProcessHandle.current().pid() + ", in " + sinceProcessStart(begun).toMillis() + " ms");
        Running running = new Running(devices, why -> stop(appliance, platform, state, metrics, grace, log, why),
                () -> reload(appliance, log),
                metrics::summary);
        watchHealth(platform, running, log);
        return running;
    }

    /** How often the runtime looks at the target's {@link Platform#health()}. */
    static final Duration HEALTH_POLL = Duration.ofMillis(250);

    /**
     * Stops the appliance in order once its target reports {@link Health.Failed} (an event loop hit
     * an {@link Error}, say): a process that says "ready" must not serve on half-dead. The stop
     * then ends with {@link #EX_SOFTWARE}, so a supervisor (systemd, Kubernetes) restarts it. A
     * poll on a virtual thread keeps this independent of the target's threads, which may be the
     * ones that failed; it ends with the appliance and never holds the JVM's exit.
     */
    private static void watchHealth(Platform platform, Running running, Logger log) {
        Thread.ofVirtual().name("atoll-health").start(() -> {
            try {
                while (running.isRunning()) {
                    if (platform.health() instanceof Health.Failed failed) {
                        log.log(Level.ERROR, "target failed (" + failed.reason()
                                + "); stopping so that a supervisor restarts the process");
                        running.requestStop("target failed");
                        return;
                    }
                    Thread.sleep(HEALTH_POLL);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static ReloadOutcome reload(Appliance appliance, Logger log) {
        ReloadOutcome outcome;
        try {
            outcome = appliance.reload();
        } catch (Exception | Error e) {
            log.log(Level.ERROR, "reload failed", e);
            outcome = new ReloadOutcome.Failed(words(e));
        }
        switch (outcome) {
            case ReloadOutcome.Reloaded r -> log.log(Level.INFO, "reloaded: " + r.summary());
            case ReloadOutcome.Failed f -> log.log(Level.ERROR, "reload failed, still serving the previous data: "
                    + f.problem());
            case ReloadOutcome.Unsupported _ -> log.log(Level.INFO, appliance.name()
                    + " has nothing to reload; still serving");
        }
        return outcome;
    }

    private static int stop(Appliance appliance, Platform platform, ReadWriteStore state, SimpleMetrics metrics,
            Duration grace, Logger log, String why) {
        int status = 0;
        log.log(Level.INFO, "stopping (" + why + ")");
        try {
            appliance.stop(grace);
        } catch (Exception | Error e) {
            log.log(Level.ERROR, "appliance stop failed", e);
            status = EX_SOFTWARE;
        }
        try {
            platform.shutdown(grace);
        } catch (Exception | Error e) {
            log.log(Level.ERROR, "target shutdown failed", e);
            status = EX_SOFTWARE;
        }
        try {
            state.flush();
        } catch (IOException | RuntimeException e) {
            log.log(Level.ERROR, "state flush failed", e);
            status = EX_SOFTWARE;
        }
        if (platform.health() instanceof Health.Failed) {
            status = EX_SOFTWARE; // an orderly stop of a failed target still exits non-zero
        }
        String summary = metrics.summary();
        log.log(Level.INFO, "metrics: " + (summary.isEmpty() ? "none" : summary));
        log.log(Level.INFO, "stopped");
        return status;
    }

    private static void stopQuietly(Appliance appliance, Duration grace, Logger log) {
        try {
            appliance.stop(grace);
        } catch (Exception | Error e) {
            log.log(Level.DEBUG, "stop after failed start also failed", e);
        }
    }

    private static void shutdownQuietly(Platform platform, Duration grace, Logger log) {
        try {
            platform.shutdown(grace);
        } catch (Exception | Error e) {
            log.log(Level.ERROR, "target shutdown after failed start also failed", e);
        }
    }

    private static Logger log(Appliance appliance) {
        return System.getLogger(appliance.name());
    }

    private static Running fail(PrintStream err, String app, String message, int status) {
        // One line, always: a multi-line message would break the "one line per error" promise.
        err.println(app + ": " + message.replace('\n', ' ').replace('\r', ' '));
        err.flush();
        return Running.exited(status);
    }

    /**
     * An internal failure's one line: its message without the exception's class name (the ERROR
     * record logged just before carries the class and stack trace for whoever debugs it).
     */
    private static String words(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of Java memory (" + e.getMessage() + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MiB): the data needs a larger heap; give one with -Xmx (an image reads ATOLL_JAVA_OPTS, e.g."
                    + " ATOLL_JAVA_OPTS=-Xmx512m)";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "an unexpected error (the log record above has the details)" : m;
    }

    /** Whether {@code k} is declared only by targets (each may declare a key of the same name). */
    private static boolean sharedTargetKey(ConfigKey<?> k, Map<String, List<ConfigKey<?>>> groups) {
        for (Map.Entry<String, List<ConfigKey<?>>> g : groups.entrySet()) {
            if (!g.getKey().startsWith("target (") && g.getValue().stream().anyMatch(x -> x.name().equals(k.name()))) {
                return false;
            }
        }
        return true;
    }

    /** The targets the image carries, socket first (the default), then by name. */
    private static List<TargetProvider> findTargets() throws StartupException {
        List<TargetProvider> found = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<TargetProvider> p : ServiceLoader.load(TargetProvider.class).stream().toList()) {
                found.add(p.get());
            }
        } catch (ServiceConfigurationError e) {
            throw new StartupException("cannot load the target: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new StartupException("no target module found; an image needs at least one, such as atoll.socket");
        }
        found.sort(java.util.Comparator.comparing((TargetProvider t) -> !t.name().equals(RuntimeKeys.DEFAULT_TARGET))
                .thenComparing(TargetProvider::name));
        return found;
    }

    private static ConfigFile configFile(CommandLine cl) throws ConfigException {
        if (cl.configFile().isPresent()) {
            return ConfigFile.read(cl.configFile().get(), "--config");
        }
        String implicit = System.getProperty(CONFIG_PROPERTY);
        if (implicit != null && !implicit.isBlank()) {
            Path p = Path.of(implicit);
            // The image's own file is optional: an appliance runs on its defaults without one.
            if (Files.exists(p)) {
                return ConfigFile.read(p, "the image's configuration, -D" + CONFIG_PROPERTY);
            }
        }
        return ConfigFile.empty();
    }

    private static ReadOnlyStore dataStore(Appliance appliance, Config config) throws StartupException {
        ResourceStore embedded =
                ResourceStore.ofModule(appliance.getClass().getModule(), ResourceStore.EMBEDDED_DATA_PREFIX);
        String dir = config.get(RuntimeKeys.DATA_DIR);
        if (dir.isBlank()) {
            return LayeredStore.of(embedded);
        }
        try {
            return LayeredStore.of(DirectoryStore.existing(Path.of(dir.strip())), embedded);
        } catch (IOException e) {
            throw new StartupException("bad value '" + dir + "' for configuration key '" + RuntimeKeys.DATA_DIR.name()
                    + "': " + FileErrors.reason(e) + "; expected an existing directory, or empty for none", e);
        } catch (InvalidPathException e) {
            throw new StartupException("bad value '" + dir + "' for configuration key '" + RuntimeKeys.DATA_DIR.name()
                    + "': not a path (" + e.getReason() + "); expected an existing directory, or empty for none", e);
        }
    }

    private static DirectoryStore stateStore(Config config) throws StartupException {
        Path dir = config.get(RuntimeKeys.STATE_DIR);
        String home = System.getProperty(HOME_PROPERTY, "");
        if (!dir.isAbsolute() && !home.isEmpty()) {
            // Run from an image: relative state lives inside the image directory, not wherever
            // the operator happened to start it from.
            dir = Path.of(home).resolve(dir);
        }
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toAbsolutePath().normalize().toString());
            }
            return DirectoryStore.open(dir);
        } catch (IOException e) {
            // The failing path may be a parent of dir (a file where a directory is needed).
            String reason = e instanceof FileAlreadyExistsException f && f.getFile() != null
                    && !Files.isDirectory(Path.of(f.getFile())) ? "is not a directory" : FileErrors.reason(e);
            String which = e instanceof FileSystemException f && f.getFile() != null
                    && !Path.of(f.getFile()).equals(dir.toAbsolutePath().normalize())
                    ? " (" + f.getFile() + " " + reason + ")" : ": " + reason;
            throw new StartupException("bad value '" + dir + "' for configuration key '" + RuntimeKeys.STATE_DIR.name()
                    + "': cannot create or open the directory" + which
                    + "; expected a writable directory or a path where one can be created", e);
        }
    }

    /**
     * The instant the image launcher started the JVM, from {@code -Datoll.launched=<epoch ns>}: more
     * exact than the process start when the process was exec'd from a script that did other work.
     */
    private static java.util.Optional<Instant> launched() {
        String ns = System.getProperty("atoll.launched", "");
        long v;
        try {
            v = Long.parseLong(ns);
        } catch (NumberFormatException notSet) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Instant.ofEpochSecond(v / 1_000_000_000L, v % 1_000_000_000L));
    }

    /**
     * Time since the JVM process started, read cheaply from the OS (java.management is avoided to
     * keep images small); since {@code fallback} if the OS does not say.
     */
    private static Duration sinceProcessStart(Instant fallback) {
        Instant started = launched().orElseGet(() -> ProcessHandle.current().info().startInstant().orElse(fallback));
        Duration d = Duration.between(started, Instant.now());
        return d.isNegative() ? Duration.ZERO : d;
    }
}
