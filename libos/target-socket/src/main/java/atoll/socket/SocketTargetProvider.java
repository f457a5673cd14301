package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.StreamLimits;
import atoll.libos.runtime.Platform;
import atoll.libos.runtime.StartupException;
import atoll.libos.runtime.TargetProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code socket} target: Atoll's network stack interface on the host kernel's sockets through
 * java.nio, IPv4 and IPv6. {@code socket.loops} event loop threads drive UDP (the first also runs
 * timers); TCP flows run on virtual threads.
 */
public final class SocketTargetProvider implements TargetProvider {

    /**
     * Largest UDP payload: over IPv4 65,535 (RFC 791 total length) - 20 (IPv4 header) - 8 (RFC 768
     * header) = 65,507; over IPv6 65,535 (RFC 8200 payload length, fixed header excluded) - 8 =
     * 65,527. Jumbograms (RFC 2675) are not supported.
     */
    static final int MAX_UDP_PAYLOAD = 65_527;
    static final int DEFAULT_HEADROOM = 128;
    /** 64 KiB plus the default headroom: the largest UDP payload fits after the headroom. */
    static final int DEFAULT_BUFFER_SIZE = 65_536 + DEFAULT_HEADROOM;

    public static final ConfigKey<Integer> BUFFER_SIZE = ConfigKey.of("socket.buffer-size",
            new IntRange("bytes", 512, 1 << 24), DEFAULT_BUFFER_SIZE,
            "bytes per pooled buffer (datagram and stream pools), headroom included; a received datagram longer than buffer-size minus headroom is truncated");
    public static final ConfigKey<Integer> BUFFERS = ConfigKey.of("socket.buffers",
            new IntRange("count", 1, 1 << 20), 1024,
            "most datagram buffers ever allocated (UDP only), shared out evenly as one pool per event loop;"
                    + " when a loop's are all out, datagrams it receives are dropped and counted");
    public static final ConfigKey<Integer> TCP_BUFFERS = ConfigKey.of("socket.tcp-buffers",
            new IntRange("count", 1, 1 << 20), 1024,
            "most stream buffers ever allocated, shared by TCP connections (never by UDP); a connection that finds none is closed and counted");
    public static final ConfigKey<Integer> HEADROOM = ConfigKey.of("socket.headroom",
            new IntRange("bytes", 0, 4096), DEFAULT_HEADROOM,
            "bytes kept free in front of each buffer's data for headers to be prepended");

    public static final ConfigKey<Integer> LOOPS = ConfigKey.of("socket.loops",
            new IntRange("count", 1, 256), Runtime.getRuntime().availableProcessors(),
            "event loop threads; a UDP endpoint bound per loop gets one SO_REUSEPORT socket on each"
                    + " (default: the number of available processors)");

    /** Datagrams per recvmmsg/sendmmsg by default: 64 KiB buffers make 2 MiB posted per socket. */
    static final int DEFAULT_BATCH = 32;
    /** UIO_MAXIOV (include/uapi/linux/uio.h): the kernel's cap on one call's messages. */
    static final int MAX_BATCH = 1024;

    public static final ConfigKey<Integer> BATCH = ConfigKey.of("socket.batch", new BatchSize(MAX_BATCH),
            DEFAULT_BATCH,
            "datagrams per recvmmsg/sendmmsg call on Linux (raw sockets through the FFM API, needs native access"
                    + " for atoll.linux); off: one java.nio call per datagram, as on other systems");

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(BUFFER_SIZE, BUFFERS, TCP_BUFFERS, HEADROOM, LOOPS, BATCH));
        keys.addAll(StreamLimits.KEYS);
        return List.copyOf(keys);
    }

    /**
     * Boots the target: allocates nothing up front (the datagram pool grows on demand up to
     * {@code socket.buffers}, the stream pool up to {@code socket.tcp-buffers}) and starts the event
     * loop thread. The two pools are separate so that TCP connections, however many and however
     * slow, can never take the buffers UDP receives into (issue 6: 512 trickling connections held
     * two buffers each and emptied a shared pool of 1,024).
     *
     * @throws StartupException if {@code socket.headroom} leaves no room in {@code socket.buffer-size}
     */
    @Override
    public Platform boot(Config config, Metrics metrics) throws StartupException, IOException {
        int size = config.get(BUFFER_SIZE);
        int headroom = config.get(HEADROOM);
        int count = config.get(BUFFERS);
        if (headroom >= size) {
            throw new StartupException("socket.headroom " + headroom + " must be smaller than socket.buffer-size "
                    + size);
        }
        if (size - headroom < MAX_UDP_PAYLOAD) {
            System.getLogger("atoll.socket").log(System.Logger.Level.INFO,
                    "socket.buffer-size {0} with headroom {1}: UDP payloads over {2} bytes are truncated",
                    Integer.toString(size), Integer.toString(headroom), Integer.toString(size - headroom));
        }
        int loopCount = config.get(LOOPS);
        // Each loop's own pool: receive buffers and the replies its handlers send never contend
        // with another loop's. socket.buffers is shared out (rounded up), so the total stays its value.
        BufferPool[] pools = new BufferPool[loopCount];
        int perLoop = (count + loopCount - 1) / loopCount;
        for (int i = 0; i < loopCount; i++) {
            pools[i] = new BufferPool(size, headroom, perLoop);
            BufferPool p = pools[i];
            metrics.gauge("socket.loop." + i + ".buffers.allocated", p::allocated);
            metrics.gauge("socket.loop." + i + ".buffers.out", p::outstanding);
        }
        BufferPool streamPool = new BufferPool(size, headroom, config.get(TCP_BUFFERS));
        // The pools' off-heap memory is outside the JVM's heap and direct-memory limits: count it
        // where the operator looks (the metrics line on SIGUSR1 and at the stop).
        metrics.gauge("socket.buffers.allocated", () -> allocated(pools));
        metrics.gauge("socket.buffers.out", () -> outstanding(pools));
        metrics.gauge("socket.tcp-buffers.allocated", streamPool::allocated);
        metrics.gauge("socket.tcp-buffers.out", streamPool::outstanding);
        metrics.gauge("socket.buffer-memory.bytes", () -> (allocated(pools) + streamPool.allocated()) * (long) size);
        int batch = batchSize(config.get(BATCH));
        metrics.gauge("socket.udp.batch", () -> batch);
        EventLoop[] loops = new EventLoop[loopCount];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(metrics, EventLoop.THREAD_NAME, batch > 0);
        }
        // An epoll loop cannot watch java.nio channels: TCP then gets a selector loop of its own.
        EventLoop tcpLoop = batch > 0 ? new EventLoop(metrics, TCP_THREAD_NAME, false) : loops[0];
        SocketNetworkStack stack = new SocketNetworkStack(loops, tcpLoop, pools, batch, streamPool,
                StreamLimits.from(config), metrics);
        for (EventLoop loop : loops) {
            loop.start();
        }
        if (tcpLoop != loops[0]) {
            tcpLoop.start();
        }
        return new SocketPlatform(loops, tcpLoop, stack, pools, streamPool);
    }

    /** The TCP readiness loop's thread when the UDP loops wait in epoll. */
    static final String TCP_THREAD_NAME = "atoll-tcp-loop";

    /**
     * {@code socket.batch} as it takes effect here: 0 (java.nio) when asked, or when the system
     * calls are not usable (not Linux, native access not granted to atoll.linux), said once in
     * the log.
     */
    static int batchSize(int asked) {
        if (asked == 0) {
            return 0;
        }
        String why = atoll.linux.NativeAccess.unavailableReason();
        if (why != null) {
            System.getLogger("atoll.socket").log(System.Logger.Level.INFO,
                    "socket.batch {0}: batched UDP unavailable ({1}); using java.nio", Integer.toString(asked), why);
            return 0;
        }
        return asked;
    }

    private static long allocated(BufferPool[] pools) {
        long n = 0;
        for (BufferPool p : pools) {
            n += p.allocated();
        }
        return n;
    }

    private static long outstanding(BufferPool[] pools) {
        long n = 0;
        for (BufferPool p : pools) {
            n += p.outstanding();
        }
        return n;
    }
}
