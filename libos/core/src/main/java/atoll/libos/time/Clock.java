package atoll.libos.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as an appliance sees it. Injected everywhere, so tests and simulations can run on a fake
 * clock; engines never read the system clock themselves.
 */
public interface Clock {

    /** Monotonic nanoseconds, for deadlines and durations; unrelated to wall time. */
    long nanoTime();

    /** Wall-clock time, for protocol fields that carry it (serials, signatures, logs). */
    Instant now();

    /**
     * Runs {@code task} once after {@code delay} on the target's event loop (tasks must not
     * block). Cancelled by {@link Timer#cancel()} or when the target shuts down.
     */
    Timer schedule(Duration delay, Runnable task);
}
