package atoll.tap;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.metrics.SimpleMetrics;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child JVM for the kernel tests, run inside the test's namespace: boots the tap target on
 * {@code atoll0} as 192.0.2.2/24, binds UDP and TCP echo on port 7 (RFC 862), prints
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

    /**
     * The stack as a TCP client: connects to a kernel echo server, sends {@code total} seeded
     * bytes while reading the echo, half-closes, and compares SHA-256 digests.
     */
    private static void bulkClient(TapPlatform platform, InetSocketAddress server, long total) throws Exception {
        var pool = platform.network().streamBufferPool();
        java.security.MessageDigest sent = java.security.MessageDigest.getInstance("SHA-256");
        java.security.MessageDigest received = java.security.MessageDigest.getInstance("SHA-256");
        long[] got = new long[1];
        try (atoll.libos.net.TcpFlow flow = platform.network().connectTcp(server)) {
            flow.deadlines(new atoll.libos.net.FlowDeadlines(Duration.ofSeconds(30), Duration.ZERO,
                    Duration.ofSeconds(30)));
            Thread reader = Thread.ofVirtual().start(() -> {
                PooledBuffer b = pool.acquire();
                try {
                    while (true) {
                        b.clear();
                        int n = flow.read(b);
                        if (n < 0) {
                            break;
                        }
                        received.update(b.data().asByteBuffer());
                        got[0] += n;
                    }
                } catch (Exception e) {
                    System.out.println("client read failed after " + got[0] + ": " + e);
                } finally {
                    b.release();
                }
            });
            java.util.Random r = new java.util.Random(7);
            byte[] chunk = new byte[16384];
            PooledBuffer out = pool.acquire();
            try {
                for (long left = total; left > 0; ) {
                    int n = (int) Math.min(chunk.length, left);
                    r.nextBytes(chunk);
                    sent.update(chunk, 0, n);
                    out.clear();
                    out.put(chunk, 0, n);
                    flow.write(out);
                    left -= n;
                }
            } finally {
                out.release();
            }
            flow.shutdownOutput();
            reader.join(Duration.ofSeconds(120));
        }
        boolean ok = got[0] == total && java.util.Arrays.equals(sent.digest(), received.digest());
        System.out.println("client sent " + total + " received " + got[0] + (ok ? " sha256 ok" : " MISMATCH"));
        System.out.flush();
    }

    private static void serve(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        TapTargetProvider provider = new TapTargetProvider();
        Map<String, String> raw = new LinkedHashMap<>(Map.of("tap.device", "atoll0", "ipv4", "192.0.2.2/24",
                "mac", "02:00:00:00:00:02"));
        String connect = null;
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (args[i].startsWith("connect=")) {
                connect = args[i].substring(eq + 1);
            } else {
                raw.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        }
        SimpleMetrics metrics = new SimpleMetrics();
        TapPlatform platform = (TapPlatform) provider.boot(Config.of(provider.configKeys(), raw), metrics);
        UdpEndpoint echo = platform.network().bindUdp(new InetSocketAddress("0.0.0.0", 7),
                (endpoint, payload, addresses) -> endpoint.reply(payload, addresses));
        TcpListener tcpEcho = platform.network().listenTcp(new InetSocketAddress("0.0.0.0", 7), flow -> {
            PooledBuffer b = flow.acquireBuffer();
            try {
                while (true) {
                    b.clear();
                    if (flow.read(b) < 0) {
                        break;
                    }
                    flow.write(b);
                }
                flow.shutdownOutput();
            } finally {
                b.release();
            }
        });
        System.out.println("ready");
        System.out.flush();
        if (connect != null) {
            String[] c = connect.split(":");
            bulkClient(platform, new InetSocketAddress(c[0], Integer.parseInt(c[1])), Long.parseLong(c[2]));
        }
        for (int i = 0; i < 2400 && !Files.exists(stop); i++) {
            Thread.sleep(50);
        }
        echo.close();
        tcpEcho.close();
        platform.shutdown(Duration.ofSeconds(1));
        Throwable failure = platform.loop().failure();
        platform.network().bufferPool().assertNoLeaks();
        platform.network().streamBufferPool().assertNoLeaks();
        System.out.println("metrics " + metrics.summary());
        if (failure != null) {
            System.out.println("loop failed: " + failure);
            System.exit(1);
        }
        System.out.println("ok");
        System.out.flush();
        System.exit(0);
    }
}
