package atoll.libos.runtime;

import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The configuration keys the runtime itself declares, on every target and appliance. */
public final class RuntimeKeys {
    private RuntimeKeys() {}

    /**
     * Log threshold. When neither the config file nor the command line sets it, the level stays as
     * the system property {@code atoll.log.level} set it (INFO without one), so that start-up
     * itself can be traced with {@code -Datoll.log.level=debug}.
     */
    public static final ConfigKey<Level> LOG_LEVEL = ConfigKey.of("log.level", ValueTypes.logLevel(), Level.INFO,
            "drop log records below: trace, debug, info, warning, error or off");

    /** Directory of the read-write state store; created at start if missing. */
    public static final ConfigKey<Path> STATE_DIR = ConfigKey.of("state.dir", ValueTypes.path(), Path.of("state"),
            "directory for state that survives restarts (created if missing; relative to the image directory when run from an image)");

    /** Optional directory whose files override the appliance's embedded read-only data. */
    public static final ConfigKey<String> DATA_DIR = ConfigKey.of("data.dir", ValueTypes.string(), "",
            "directory whose files override the embedded data (empty: none)");

    /** How long the appliance and target get to finish in-flight work after SIGTERM. */
    public static final ConfigKey<Duration> SHUTDOWN_GRACE = ConfigKey.of("shutdown.grace", ValueTypes.duration(),
            Duration.ofSeconds(5), "time allowed for in-flight work to finish on stop");

    /** The target chosen when the image carries it and the {@code target} key is not set. */
    public static final String DEFAULT_TARGET = "socket";

    /**
     * The {@code target} key: which of the image's targets to boot ({@code socket}, {@code tap}).
     * Its choices are the targets found at start; the default is {@value #DEFAULT_TARGET} when the
     * image carries it, else the first.
     */
    public static ConfigKey<String> target(List<String> available) {
        String def = available.contains(DEFAULT_TARGET) ? DEFAULT_TARGET : available.getFirst();
        return ConfigKey.of("target", ValueTypes.enumOf(available.toArray(String[]::new)), def,
                "the platform to run on: " + String.join(", ", available) + " (the image's targets)");
    }

    /** Every runtime key, in --help order (the {@code target} key comes after them). */
    public static List<ConfigKey<?>> all() {
        return List.of(LOG_LEVEL, STATE_DIR, DATA_DIR, SHUTDOWN_GRACE);
    }
}
