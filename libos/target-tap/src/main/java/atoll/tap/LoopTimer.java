package atoll.tap;

import atoll.libos.time.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task due at a monotonic deadline in the {@link TapLoop}'s deadline heap. Cancelling only marks
 * it; the loop skips it when it reaches the top of the heap.
 */
final class LoopTimer implements Timer, Comparable<LoopTimer> {
    private static final int PENDING = 0;
    private static final int CANCELLED = 1;
    private static final int FIRED = 2;

    final long deadline;
    /** Tie-break: timers due at the same instant run in the order they were scheduled. */
    final long sequence;
    final Runnable task;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    LoopTimer(long deadline, long sequence, Runnable task) {
        this.deadline = deadline;
        this.sequence = sequence;
        this.task = task;
    }

    @Override
    public boolean cancel() {
        return state.compareAndSet(PENDING, CANCELLED);
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
