package atoll.libos.net;

import atoll.libos.net.FlowTimeoutException.Deadline;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The bookkeeping behind a stream flow's {@link FlowDeadlines}, the same for every target: where
 * the current protocol unit began, when the flow last became idle, and so when a read or a write
 * must give up. Targets keep their own waiting (a selector, a condition); this class only says
 * until when. Times are monotonic nanoseconds from the injected clock.
 *
 * <p>Written by the flow's reading thread, read by the stack when it looks for an idle flow to
 * close, hence volatile fields.
 */
public final class DeadlineTracker {

    /** A deadline that never passes. */
    public static final long NONE = Long.MAX_VALUE;

    private final LongSupplier nanoTime;
    private volatile FlowDeadlines deadlines = FlowDeadlines.NONE;
    private volatile boolean inUnit;
    private volatile long unitStart;
    private volatile long idleSince;

    /** @param nanoTime the monotonic clock deadlines are counted on; the flow counts as idle from now */
    public DeadlineTracker(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.idleSince = nanoTime.getAsLong();
    }

    public void set(FlowDeadlines deadlines) {
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    public long now() {
        return nanoTime.getAsLong();
    }

    /** Octets arrived: if no unit was under way, one begins now and its deadline runs from here. */
    public void octetsArrived() {
        if (!inUnit) {
            inUnit = true;
            unitStart = nanoTime.getAsLong();
        }
    }

    /** See {@link TcpFlow#unitComplete(boolean)}. */
    public void unitComplete(boolean nextBegun) {
        long now = nanoTime.getAsLong();
        if (nextBegun) {
            unitStart = now;
            inUnit = true;
        } else {
            idleSince = now;
            inUnit = false;
        }
    }

    /** When the current read wait must end: the unit deadline inside a unit, else the idle deadline. */
    public long readDeadline() {
        FlowDeadlines d = deadlines;
        boolean unit = inUnit;
        Duration limit = unit ? d.unit() : d.idle();
        return limit.isZero() ? NONE : (unit ? unitStart : idleSince) + saturatedNanos(limit);
    }

    /** Which deadline a read that waited too long missed. */
    public Deadline readDeadlineKind() {
        return inUnit ? Deadline.UNIT : Deadline.IDLE;
    }

    /** When a write starting now must have been taken by the peer. */
    public long writeDeadline() {
        Duration limit = deadlines.write();
        return limit.isZero() ? NONE : nanoTime.getAsLong() + saturatedNanos(limit);
    }

    /** Whether {@code deadline} (from this tracker) has passed. */
    public boolean passed(long deadline) {
        return deadline != NONE && nanoTime.getAsLong() - deadline >= 0;
    }

    /** The configured length of one deadline, for log lines. */
    public Duration limit(Deadline which) {
        FlowDeadlines d = deadlines;
        return switch (which) {
            case IDLE -> d.idle();
            case UNIT -> d.unit();
            case WRITE -> d.write();
        };
    }

    /** Whether a unit is under way (its first octet arrived, its end not yet declared). */
    public boolean inUnit() {
        return inUnit;
    }

    /** When the flow last completed a unit (or was created), in monotonic nanoseconds. */
    public long idleSince() {
        return idleSince;
    }

    /** {@code d} in nanoseconds, or centuries where it would overflow: "never" without overflowing sums. */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
