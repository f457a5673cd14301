package atoll.libos.runtime;

/**
 * Runs an appliance: parses the command line, loads and validates configuration, boots the target
 * found by {@link java.util.ServiceLoader}, builds the {@link Devices}, starts the appliance, waits
 * for SIGTERM/SIGINT, stops it, flushes the stores and returns the exit status.
 */
public final class Launcher {
    private Launcher() {}

    /** Exit status for a usage or configuration error (sysexits.h EX_USAGE). */
    public static final int EX_USAGE = 64;
    /** Exit status for an internal error (sysexits.h EX_SOFTWARE). */
    public static final int EX_SOFTWARE = 70;

    /** Runs {@code appliance} to completion; {@code main} passes the result to System.exit. */
    public static int run(Appliance appliance, String version, String[] args) {
        throw new UnsupportedOperationException("TODO: implemented by the core runtime work");
    }
}
