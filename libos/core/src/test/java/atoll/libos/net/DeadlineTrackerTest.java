package atoll.libos.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.net.FlowTimeoutException.Deadline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTrackerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final DeadlineTracker tracker = new DeadlineTracker(now::get);

    private static final FlowDeadlines DNS = new FlowDeadlines(Duration.ofNanos(500), Duration.ofNanos(100),
            Duration.ofNanos(50));

    @Test
    void noDeadlinesNeverPass() {
        assertEquals(DeadlineTracker.NONE, tracker.readDeadline());
        assertEquals(DeadlineTracker.NONE, tracker.writeDeadline());
        now.set(Long.MAX_VALUE - 1);
        assertFalse(tracker.passed(DeadlineTracker.NONE));
    }

    @Test
    void idleCountsFromCreationThenFromTheLastCompleteUnit() {
        tracker.set(DNS);
        assertEquals(1_500, tracker.readDeadline());
        assertEquals(Deadline.IDLE, tracker.readDeadlineKind());
        now.set(1_200);
        tracker.octetsArrived();
        now.set(1_250);
        tracker.unitComplete(false);
        assertFalse(tracker.inUnit());
        assertEquals(1_250, tracker.idleSince());
        assertEquals(1_750, tracker.readDeadline(), "idle restarts at the end of a complete unit");
    }

    @Test
    void aTrickleDoesNotMoveTheUnitDeadline() {
        tracker.set(DNS);
        now.set(2_000);
        tracker.octetsArrived();
        assertTrue(tracker.inUnit());
        assertEquals(Deadline.UNIT, tracker.readDeadlineKind());
        for (int i = 1; i <= 5; i++) {
            now.set(2_000 + 20 * i);
            tracker.octetsArrived(); // more octets of the same unit
            assertEquals(2_100, tracker.readDeadline());
        }
        now.set(2_099);
        assertFalse(tracker.passed(tracker.readDeadline()));
        now.set(2_100);
        assertTrue(tracker.passed(tracker.readDeadline()));
    }

    @Test
    void pipelinedUnitsStartTheirDeadlineWhereTheLastEnded() {
        tracker.set(DNS);
        tracker.octetsArrived();
        now.set(1_080);
        tracker.unitComplete(true); // the next unit's octets are already buffered
        assertTrue(tracker.inUnit());
        assertEquals(1_180, tracker.readDeadline());
    }

    @Test
    void writeDeadlineRunsFromTheStartOfTheWrite() {
        tracker.set(DNS);
        now.set(3_000);
        long d = tracker.writeDeadline();
        assertEquals(3_050, d);
        assertEquals(Duration.ofNanos(50), tracker.limit(Deadline.WRITE));
        now.set(3_049);
        assertFalse(tracker.passed(d));
        now.set(3_050);
        assertTrue(tracker.passed(d));
    }

    @Test
    void hugeDurationsSaturateInsteadOfOverflowing() {
        tracker.set(new FlowDeadlines(Duration.ofSeconds(Long.MAX_VALUE), Duration.ZERO, Duration.ZERO));
        long d = tracker.readDeadline();
        assertTrue(d > now.get(), "a deadline centuries away, not one in the past");
        assertFalse(tracker.passed(d));
    }
}
