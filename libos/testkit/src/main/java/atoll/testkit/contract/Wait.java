package atoll.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for the contract tests: a hang fails after {@link #LIMIT}, it never passes. */
final class Wait {
    static final Duration LIMIT = Duration.ofSeconds(20);

    private Wait() {}

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "timed out waiting for a latch");
    }

    /** For state with no event to wait on (a counter decremented after a handler returns). */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
