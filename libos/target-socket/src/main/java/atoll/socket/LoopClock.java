package atoll.socket;

import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The host's clocks, with timers that run on the event loop: {@link System#nanoTime()} for
 * monotonic time, {@link Instant#now()} for wall time.
 */
final class LoopClock implements Clock {
    private final EventLoop loop;

    LoopClock(EventLoop loop) {
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

    /**
     * {@inheritDoc}
     *
     * <p>Callable from any thread. A negative delay counts as zero. Timers due at the same instant
     * run in the order they were scheduled. After shutdown the task never runs.
     */
    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        return loop.schedule(delay, task);
    }
}
