package atoll.libos.runtime;

import atoll.libos.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * A single-purpose network service. It is written only against {@link Devices}, so it runs
 * unchanged on every target. {@link Launcher#run} boots the target, builds the devices, calls
 * {@link #start}, calls {@link #reload} on each SIGHUP, waits for SIGTERM or SIGINT, then calls
 * {@link #stop}.
 */
public interface Appliance {

    /** Short name, as in the image and launcher ({@code dns-server}). */
    String name();

    /** The configuration keys this appliance declares (the runtime and target add their own). */
    List<ConfigKey<?>> configKeys();

    /**
     * Starts serving and returns. Runs on the launcher's thread.
     *
     * @throws StartupException for a problem in configuration or data (a broken zone file, say):
     *     the launcher prints its one-line message and exits with status 64
     * @throws Exception anything else stops start-up with exit status 70
     */
    void start(Devices devices) throws Exception;

    /**
     * Re-reads the appliance's data (zone files, site files) while it goes on serving; the
     * launcher calls it on SIGHUP, never during {@link #start} or {@link #stop} nor twice at once.
     * New data that is broken must be refused as a whole: the old data stays in service and the
     * outcome says why. An exception thrown here is logged and treated the same way.
     *
     * <p>The default has nothing to reload: the launcher logs one line and the appliance goes on.
     */
    default ReloadOutcome reload() throws Exception {
        return new ReloadOutcome.Unsupported();
    }

    /**
     * Stops accepting new work, lets in-flight work finish within {@code grace}, and releases what
     * it holds. The runtime flushes the stores after this returns.
     */
    void stop(Duration grace);
}
