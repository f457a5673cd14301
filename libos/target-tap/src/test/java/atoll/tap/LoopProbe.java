package atoll.tap;

import atoll.libos.config.Config;
import atoll.libos.metrics.SimpleMetrics;
import atoll.libos.runtime.Platform;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link TapLoopKernelTest}, run inside the test's namespace: boots the tap target on
 * the given device, prints {@code ready}, waits (bounded) until the loop has read frames the
 * kernel sent, checks that a clock timer fires on the loop thread, shuts down and checks that no
 * pooled buffer leaked. Prints {@code ok rx=N} and exits 0 on success.
 */
public final class LoopProbe {
    public static void main(String[] args) {
        try {
            probe(args);
        } catch (Throwable t) {
            System.out.println("probe failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
    }

    private static void probe(String[] args) throws Exception {
        TapTargetProvider provider = new TapTargetProvider();
        Config config = Config.of(provider.configKeys(), Map.of("tap.device", args[0], "ipv4", "192.0.2.2/24",
                "mac", "02:00:00:00:00:02"));
        SimpleMetrics metrics = new SimpleMetrics();
        TapPlatform platform = (TapPlatform) provider.boot(config, metrics);
        System.out.println("ready");
        long rx = 0;
        for (int i = 0; i < 400 && rx == 0; i++) { // at most 20 s
            Thread.sleep(50);
            rx = metrics.snapshot().getOrDefault("tap.rx.frames", 0L);
        }
        CountDownLatch fired = new CountDownLatch(1);
        Thread[] on = new Thread[1];
        platform.clock().schedule(Duration.ofMillis(1), () -> {
            on[0] = Thread.currentThread();
            fired.countDown();
        });
        boolean timer = fired.await(20, TimeUnit.SECONDS);
        Thread loopThread = platform.loop().thread();
        ((Platform) platform).shutdown(Duration.ofSeconds(1));
        platform.network().bufferPool().assertNoLeaks();
        if (rx == 0 || !timer || on[0] != loopThread || platform.loop().failure() != null) {
            System.out.println("failed rx=" + rx + " timer=" + timer + " on=" + on[0]
                    + " failure=" + platform.loop().failure());
            System.out.flush();
            System.exit(1);
        }
        System.out.println("ok rx=" + rx);
        System.exit(0);
    }
}
