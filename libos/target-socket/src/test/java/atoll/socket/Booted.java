package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.libos.buffer.BufferPool;
import atoll.libos.config.Config;
import atoll.libos.net.NetworkStack;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A booted socket platform for one test; closing it shuts down and checks for leaked buffers. */
final class Booted implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final SocketPlatform platform;
    final TestMetrics metrics = new TestMetrics();

    Booted() throws Exception {
        this(Map.of());
    }

    Booted(Map<String, String> config) throws Exception {
        SocketTargetProvider provider = new SocketTargetProvider();
        platform = (SocketPlatform) provider.boot(Config.of(provider.configKeys(), config), metrics);
    }

    NetworkStack net() {
        return platform.network();
    }

    BufferPool pool() {
        return platform.network().bufferPool();
    }

    /**
     * Returns once the event loop has run a full select pass that started after this call, so
     * every datagram already queued on its sockets has been handled.
     */
    void loopBarrier() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        // The first task runs after whatever select pass is under way; the zero-delay timer it
        // schedules makes the loop selectNow() again before running it.
        platform.clock().schedule(Duration.ZERO, () -> platform.clock().schedule(Duration.ofNanos(1), done::countDown));
        await(done);
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "timed out waiting for a latch");
    }

    /** For state with no event to wait on (a counter decremented after a handler returns). */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    @Override
    public void close() {
        platform.shutdown(Duration.ofSeconds(5));
        for (int i = 0; i < net().loops(); i++) { // each loop's own datagram pool
            assertEquals(0, net().bufferPool(i).outstanding(), "pooled buffers of loop " + i + " outstanding after shutdown");
            net().bufferPool(i).assertNoLeaks();
        }
        net().streamBufferPool().assertNoLeaks();
    }
}
