package atoll.tap;

import atoll.libos.buffer.PooledBuffer;

/**
 * What the {@link TapLoop} drives: the sans-I/O stack above the device (DESIGN §5), in smoltcp's
 * {@code poll}/{@code poll_delay} shape. The loop feeds it each received frame with the time and
 * then polls it, which runs whatever timers are due and says when to poll next; the driver sends
 * frames with {@link TapLoop#transmit}. All calls come on the loop thread.
 */
interface LinkDriver {
    /** What {@link #poll} returns when nothing is pending. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** One Ethernet frame arrived (the buffer's window). Takes ownership of {@code frame}. */
    void onFrame(PooledBuffer frame, long nowNanos);

    /**
     * Runs the timers due at {@code nowNanos}; returns the {@link System#nanoTime} at which to be
     * polled again, or {@link #NO_DEADLINE}. Called after every batch of events, so it need not be
     * exact about deadlines that events create.
     */
    long poll(long nowNanos);
}
