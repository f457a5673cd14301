package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class TimerTest {

    @Test
    void timersRunInDeadlineOrderOnTheLoop() throws Exception {
        try (Booted b = new Booted()) {
            Clock clock = b.platform.clock();
            List<String> order = new ArrayList<>(); // loop thread only
            List<Thread> ranOn = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(6);
            // Scheduled from one loop task so no timer can run in between; deadlines 50 ms apart.
            clock.schedule(Duration.ZERO, () -> {
                for (String[] t : new String[][] {{"150", "c"}, {"50", "a"}, {"100", "b"}, {"0", "z1"}, {"0", "z2"},
                        {"-5", "z3"}}) {
                    clock.schedule(Duration.ofMillis(Long.parseLong(t[0])), () -> {
                        order.add(t[1]);
                        ranOn.add(Thread.currentThread());
                        done.countDown();
                    });
                }
            });
            Booted.await(done);
            // Equal deadlines (zero and negative delays count as zero) keep scheduling order.
            assertEquals(List.of("z1", "z2", "z3", "a", "b", "c"), order);
            for (Thread t : ranOn) {
                assertSame(b.platform.loopThread(), t);
                assertEquals("atoll-loop", t.getName());
            }
        }
    }

    @Test
    void cancelledTimerDoesNotRun() throws Exception {
        try (Booted b = new Booted()) {
            Clock clock = b.platform.clock();
            AtomicBoolean cancelledRan = new AtomicBoolean();
            Timer t = clock.schedule(Duration.ofMillis(50), () -> cancelledRan.set(true));
            assertTrue(t.cancel(), "first cancel cancels");
            assertFalse(t.cancel(), "second cancel does nothing");
            CountDownLatch later = new CountDownLatch(1);
            Timer ran = clock.schedule(Duration.ofMillis(100), later::countDown);
            Booted.await(later);
            b.loopBarrier();
            assertFalse(cancelledRan.get());
            assertFalse(ran.cancel(), "a timer that ran cannot be cancelled");
        }
    }

    @Test
    void soonerTimerFromAnotherThreadWakesASleepingLoop() throws Exception {
        try (Booted b = new Booted()) {
            Clock clock = b.platform.clock();
            Timer far = clock.schedule(Duration.ofHours(1), () -> { });
            b.loopBarrier(); // the loop is now asleep until the hour is up
            CountDownLatch soon = new CountDownLatch(1);
            clock.schedule(Duration.ofMillis(10), soon::countDown);
            Booted.await(soon);
            assertTrue(far.cancel());
        }
    }

    @Test
    void manyCancelledTimersArePurgedAndOthersStillRun() throws Exception {
        try (Booted b = new Booted()) {
            Clock clock = b.platform.clock();
            AtomicInteger ran = new AtomicInteger();
            List<Timer> timers = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                timers.add(clock.schedule(Duration.ofHours(1), ran::incrementAndGet));
            }
            timers.forEach(Timer::cancel);
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                clock.schedule(Duration.ofMillis(i % 7), () -> {
                    ran.incrementAndGet();
                    done.countDown();
                });
            }
            Booted.await(done);
            assertEquals(100, ran.get());
        }
    }

    @Test
    void timersDoNotRunAfterShutdown() throws Exception {
        Booted b = new Booted();
        Clock clock = b.platform.clock();
        AtomicBoolean ran = new AtomicBoolean();
        clock.schedule(Duration.ofMillis(200), () -> ran.set(true));
        b.close();
        Timer after = clock.schedule(Duration.ZERO, () -> ran.set(true));
        assertFalse(after.cancel(), "a timer scheduled after shutdown is already dead");
        assertFalse(ran.get());
        long t0 = clock.nanoTime();
        assertTrue(clock.nanoTime() - t0 >= 0, "monotonic time still answers");
        assertTrue(Math.abs(clock.now().toEpochMilli() - System.currentTimeMillis()) < TimeUnit.MINUTES.toMillis(1),
                "wall time is the host's");
    }
}
