package atoll.tap;

import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The host's clocks, with timers that run on the tap target's event loop. */
final class TapClock implements Clock {
    private final TapLoop loop;

    TapClock(TapLoop loop) {
        this.loop = loop;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    /** {@inheritDoc} Callable from any thread; a negative delay counts as zero; after shutdown the task never runs. */
    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        return loop.schedule(delay, task);
    }
}
