package atoll.testkit;

import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Clock} that moves only when told: {@link #advance} runs every timer that falls due, in
 * deadline order (ties in the order they were scheduled), each with the clock reading its own
 * deadline. Nothing runs on another thread and nothing reads the real time, so a simulation on
 * it is the same on every run.
 *
 * <p>Monotonic time starts at 0 ns; wall time is {@code epoch} plus the monotonic time. Timers
 * scheduled while timers run (a retransmission scheduling the next one) join the same pass if they
 * fall due within it. Not thread-safe: drive it from one thread.
 */
public final class FakeClock implements Clock {
    private final Instant epoch;
    private final PriorityQueue<FakeTimer> timers = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean running;

    /** Wall time starts at 2026-01-01T00:00:00Z. */
    public FakeClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Wall time starts at {@code epoch}. */
    public FakeClock(Instant epoch) {
        this.epoch = Objects.requireNonNull(epoch, "epoch");
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Instant now() {
        return epoch.plusNanos(now);
    }

    /** A negative delay counts as zero. The task runs from {@link #advance} or {@link #runDue}. */
    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        long d = Math.max(0, delay.toNanos());
        FakeTimer t = new FakeTimer(Math.addExact(now, d), sequence++, task);
        timers.add(t);
        return t;
    }

    /**
     * Moves time forward by {@code by}, running each timer due on the way at its own deadline,
     * then leaves the clock at now + {@code by}.
     *
     * @return how many timers ran
     */
    public int advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + by);
        }
        return runUntil(Math.addExact(now, by.toNanos()));
    }

    /** Runs the timers due now (zero-delay work), without moving time. */
    public int runDue() {
        return runUntil(now);
    }

    /**
     * Moves time to the next pending deadline and runs what is due there.
     *
     * @return false if no timer is pending
     */
    public boolean runNext() {
        FakeTimer next = peekLive();
        if (next == null) {
            return false;
        }
        runUntil(Math.max(now, next.deadline));
        return true;
    }

    /** Timers scheduled and neither run nor cancelled. */
    public int pendingTimers() {
        int n = 0;
        for (FakeTimer t : timers) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }

    /** The earliest pending deadline in monotonic nanoseconds, or -1 if none. */
    public long nextDeadline() {
        FakeTimer t = peekLive();
        return t == null ? -1 : t.deadline;
    }

    private int runUntil(long target) {
        if (running) {
            throw new IllegalStateException("advance called from a timer task");
        }
        running = true;
        int ran = 0;
        try {
            while (true) {
                FakeTimer t = peekLive();
                if (t == null || t.deadline > target) {
                    break;
                }
                timers.poll();
                now = Math.max(now, t.deadline);
                t.done = true;
                t.task.run();
                ran++;
            }
            now = Math.max(now, target);
            return ran;
        } finally {
            running = false;
        }
    }

    private FakeTimer peekLive() {
        FakeTimer t;
        while ((t = timers.peek()) != null && t.cancelled) {
            timers.poll();
        }
        return t;
    }

    private static final class FakeTimer implements Timer, Comparable<FakeTimer> {
        final long deadline;
        final long sequence;
        final Runnable task;
        boolean cancelled;
        boolean done;

        FakeTimer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public int compareTo(FakeTimer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
