package atoll.libos.runtime;

import atoll.libos.net.NetworkStack;
import atoll.libos.time.Clock;
import java.time.Duration;

/** A booted target: its network stack and the clock whose timers run on its event loop. */
public interface Platform {

    NetworkStack network();

    Clock clock();

    /** Whether the target still works (see {@link Health}); a target that cannot fail keeps the default. */
    default Health health() {
        return Health.SERVING;
    }

    /**
     * Stops the event loop and closes every endpoint, listener and flow still open, waiting up to
     * {@code grace} for flow handlers to return. Idempotent.
     */
    void shutdown(Duration grace);
}
