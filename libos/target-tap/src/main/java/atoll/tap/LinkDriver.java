package atoll.tap;

import atoll.libos.buffer.PooledBuffer;

/**
 * What the {@link TapLoop} drives: the sans-I/O stack above the device (DESIGN §5). The loop feeds
 * it received frames and the time, asks it for its next deadline, and fires it when due; the
 * driver sends frames with {@link TapLoop#transmit}. All calls come on the loop thread.
 */
interface LinkDriver {
    /** {@link #nextDeadline} when nothing is due. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** One Ethernet frame arrived (the buffer's window). Takes ownership of {@code frame}. */
    void onFrame(PooledBuffer frame, long nowNanos);

    /** The deadline from {@link #nextDeadline} has come. */
    void onDeadline(long nowNanos);

    /** The earliest {@link System#nanoTime} at which {@link #onDeadline} is wanted, or {@link #NO_DEADLINE}. */
    long nextDeadline();
}
