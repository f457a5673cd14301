package atoll.socket;

import atoll.libos.time.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task due at a monotonic deadline, kept in the event loop's deadline heap. Cancellation only
 * marks it; the loop skips cancelled timers when they reach the top of the heap, and purges the
 * heap when cancelled timers dominate it (a TCP read timeout is scheduled and cancelled per read).
 */
final class LoopTimer implements Timer, Comparable<LoopTimer> {
    private static final int PENDING = 0;
    private static final int CANCELLED = 1;
    private static final int FIRED = 2;

    final long deadline;
    /** Tie-break: timers with the same deadline run in the order they were scheduled. */
    final long sequence;
    final Runnable task;
    private final EventLoop loop;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    LoopTimer(EventLoop loop, long deadline, long sequence, Runnable task) {
        this.loop = loop;
        this.deadline = deadline;
        this.sequence = sequence;
        this.task = task;
    }

    @Override
    public boolean cancel() {
        if (state.compareAndSet(PENDING, CANCELLED)) {
            loop.timerCancelled();
            return true;
        }
        return false;
    }

    /** Claims the timer for running; false if it was cancelled first. */
    boolean fire() {
        return state.compareAndSet(PENDING, FIRED);
    }

    boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    @Override
    public int compareTo(LoopTimer o) {
        int c = Long.compare(deadline - o.deadline, 0); // nanoTime values compare by difference
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
