package atoll.libos.runtime;

import atoll.libos.config.Config;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.NetworkStack;
import atoll.libos.store.ReadOnlyStore;
import atoll.libos.store.ReadWriteStore;
import atoll.libos.time.Clock;

/**
 * Everything an appliance may touch, handed to {@link Appliance#start}. Logging goes through
 * {@link System#getLogger(String)}, which the runtime formats as one compact line per record.
 *
 * @param network the target's network stack
 * @param clock monotonic and wall time, timers on the event loop
 * @param entropy secure randomness
 * @param data read-only content baked into the image
 * @param state read-write store that survives restarts
 * @param metrics counters and gauges
 * @param config the validated configuration
 */
public record Devices(
        NetworkStack network,
        Clock clock,
        Entropy entropy,
        ReadOnlyStore data,
        ReadWriteStore state,
        Metrics metrics,
        Config config) {}
