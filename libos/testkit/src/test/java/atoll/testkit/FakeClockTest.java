package atoll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void timersFireInDeadlineOrderEachAtItsOwnDeadline() {
        FakeClock clock = new FakeClock(Instant.EPOCH);
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofMillis(30), () -> ran.add("c@" + clock.nanoTime()));
        clock.schedule(Duration.ofMillis(10), () -> ran.add("a@" + clock.nanoTime()));
        clock.schedule(Duration.ofMillis(10), () -> ran.add("b@" + clock.nanoTime())); // tie: scheduling order
        clock.schedule(Duration.ofMillis(50), () -> ran.add("late"));
        assertEquals(3, clock.advance(Duration.ofMillis(40)));
        assertEquals(List.of("a@10000000", "b@10000000", "c@30000000"), ran);
        assertEquals(40_000_000, clock.nanoTime());
        assertEquals(Instant.EPOCH.plusMillis(40), clock.now());
        assertEquals(1, clock.pendingTimers());
        assertEquals(50_000_000, clock.nextDeadline());
    }

    @Test
    void timersScheduledByTimersJoinThePassAndCancelledOnesDoNotRun() {
        FakeClock clock = new FakeClock();
        List<Long> ticks = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.add(clock.nanoTime());
            if (ticks.size() < 5) {
                clock.schedule(Duration.ofSeconds(1), tick[0]);
            }
        };
        clock.schedule(Duration.ofSeconds(1), tick[0]);
        Timer never = clock.schedule(Duration.ofSeconds(2), () -> ticks.add(-1L));
        assertTrue(never.cancel());
        assertFalse(never.cancel(), "second cancel reports nothing cancelled");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(1_000_000_000L, 2_000_000_000L, 3_000_000_000L, 4_000_000_000L, 5_000_000_000L), ticks);
        assertEquals(0, clock.pendingTimers());
        assertEquals(-1, clock.nextDeadline());
        assertFalse(clock.runNext());
    }

    @Test
    void runNextJumpsToTheNextDeadlineAndRunDueDoesNotMoveTime() {
        FakeClock clock = new FakeClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ZERO, () -> ran.add("now"));
        clock.schedule(Duration.ofMinutes(5), () -> ran.add("later"));
        assertEquals(1, clock.runDue());
        assertEquals(0, clock.nanoTime());
        assertTrue(clock.runNext());
        assertEquals(Duration.ofMinutes(5).toNanos(), clock.nanoTime());
        assertEquals(List.of("now", "later"), ran);
        Timer done = clock.schedule(Duration.ZERO, () -> {});
        clock.runDue();
        assertFalse(done.cancel(), "a timer that ran cannot be cancelled");
    }

    @Test
    void misuseIsRefused() {
        FakeClock clock = new FakeClock();
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
        clock.schedule(Duration.ZERO, () -> clock.advance(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, clock::runDue, "advance from inside a timer");
    }
}
