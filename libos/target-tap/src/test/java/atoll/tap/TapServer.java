package atoll.tap;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.metrics.SimpleMetrics;
import atoll.libos.net.UdpEndpoint;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child JVM for the kernel tests, run inside the test's namespace: boots the tap target on
 * {@code atoll0} as 192.0.2.2/24, binds a UDP echo endpoint on port 7 (RFC 862), prints
 * {@code ready}, and serves until the file named by its first argument exists (at most 120 s).
 * Then it shuts down, checks that no pooled buffer leaked, prints its metrics and {@code ok}, and
 * exits 0. Further arguments are {@code key=value} overrides.
 */
public final class TapServer {
    public static void main(String[] args) {
        try {
            serve(args);
        } catch (Throwable t) {
            System.out.println("server failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
    }

    private static void serve(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        TapTargetProvider provider = new TapTargetProvider();
        Map<String, String> raw = new LinkedHashMap<>(Map.of("tap.device", "atoll0", "ipv4", "192.0.2.2/24",
                "mac", "02:00:00:00:00:02"));
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            raw.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        SimpleMetrics metrics = new SimpleMetrics();
        TapPlatform platform = (TapPlatform) provider.boot(Config.of(provider.configKeys(), raw), metrics);
        UdpEndpoint echo = platform.network().bindUdp(new InetSocketAddress("0.0.0.0", 7),
                (endpoint, payload, addresses) -> endpoint.reply(payload, addresses));
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; i < 2400 && !Files.exists(stop); i++) {
            Thread.sleep(50);
        }
        echo.close();
        platform.shutdown(Duration.ofSeconds(1));
        Throwable failure = platform.loop().failure();
        platform.network().bufferPool().assertNoLeaks();
        System.out.println("metrics " + metrics.summary());
        if (failure != null) {
            System.out.println("loop failed: " + failure);
            System.exit(1);
        }
        System.out.println("ok");
        System.out.flush();
        System.exit(0);
    }

    /** Keeps the compiler honest about the handler's shape. */
    static void release(PooledBuffer b) {
        b.release();
    }
}
