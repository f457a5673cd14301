package atoll.libos.runtime;

import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.metrics.Metrics;
import java.util.List;

/**
 * A target: the platform underneath an appliance (host sockets, a TAP device with Atoll's own
 * stack, ...). Found with {@link java.util.ServiceLoader}; an image holds those its appliance
 * depends on, and the runtime's {@code target} key chooses one at start (see
 * {@link RuntimeKeys#target}).
 */
public interface TargetProvider {

    /** The target's name ({@code socket}, {@code tap}). */
    String name();

    /** Configuration keys the target declares (buffer sizes, device names, ...). */
    List<ConfigKey<?>> configKeys();

    /**
     * Boots the target: opens devices, starts its event loop.
     *
     * @throws StartupException for a configuration problem (one line, exit 64)
     */
    Platform boot(Config config, Metrics metrics) throws Exception;
}
