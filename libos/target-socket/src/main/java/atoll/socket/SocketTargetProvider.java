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
            "most datagram buffers ever allocated (UDP only); when all are out, received datagrams are dropped and counted");
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

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(BUFFER_SIZE, BUFFERS, TCP_BUFFERS, HEADROOM, LOOPS));
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
        BufferPool pool = new BufferPool(size, headroom, count);
        BufferPool streamPool = new BufferPool(size, headroom, config.get(TCP_BUFFERS));
        // The pools' off-heap memory is outside the JVM's heap and direct-memory limits: count it
        // where the operator looks (the metrics line on SIGUSR1 and at the stop).
        metrics.gauge("socket.buffers.allocated", pool::allocated);
        metrics.gauge("socket.buffers.out", pool::outstanding);
        metrics.gauge("socket.tcp-buffers.allocated", streamPool::allocated);
        metrics.gauge("socket.tcp-buffers.out", streamPool::outstanding);
        metrics.gauge("socket.buffer-memory.bytes", () -> (pool.allocated() + streamPool.allocated()) * (long) size);
        EventLoop[] loops = new EventLoop[config.get(LOOPS)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(metrics);
        }
        SocketNetworkStack stack = new SocketNetworkStack(loops, pool, streamPool, StreamLimits.from(config), metrics);
        for (EventLoop loop : loops) {
            loop.start();
        }
        return new SocketPlatform(loops, stack, pool, streamPool);
    }
}
