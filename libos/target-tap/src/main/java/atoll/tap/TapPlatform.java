package atoll.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.net.NetworkStack;
import atoll.libos.runtime.Health;
import atoll.libos.runtime.Platform;
import atoll.libos.time.Clock;
import atoll.linux.LinuxException;
import atoll.linux.tap.TapDevice;
import java.lang.System.Logger.Level;
import java.time.Duration;

/** The booted tap target: the device, its event loop, the clock and the network stack. */
final class TapPlatform implements Platform {
    private static final System.Logger LOG = System.getLogger("atoll.tap");

    private final TapLoop loop;
    private final TapNetworkStack network;
    private final TapClock clock;
    private final BufferPool pool;
    private final BufferPool streamPool;
    private final TapDevice device;
    private boolean shutDown;

    TapPlatform(TapLoop loop, TapNetworkStack network, BufferPool pool, BufferPool streamPool, TapDevice device) {
        this.loop = loop;
        this.network = network;
        this.clock = new TapClock(loop);
        this.pool = pool;
        this.streamPool = streamPool;
        this.device = device;
    }

    @Override
    public NetworkStack network() {
        return network;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** {@code Failed} once the event loop has stopped on an error (logged when it happened). */
    @Override
    public Health health() {
        Throwable f = loop.failure();
        return f == null ? Health.SERVING : new Health.Failed("tap event loop failed: " + f);
    }

    /** The event loop (for tests). */
    TapLoop loop() {
        return loop;
    }

    /**
     * {@inheritDoc}
     *
     * <p>In order: the stack closes its endpoints, listeners and flows (waiting up to {@code grace}
     * for flow handlers); the event loop stops (pending timers never run); the device is closed.
     * Logs a warning if pooled buffers are still out. Idempotent.
     */
    @Override
    public synchronized void shutdown(Duration grace) {
        if (shutDown) {
            return;
        }
        shutDown = true;
        network.shutdown(grace);
        loop.stop();
        try {
            device.close();
        } catch (LinuxException e) {
            LOG.log(Level.WARNING, "closing the TAP device failed", e);
        }
        long out = pool.outstanding() + streamPool.outstanding();
        if (out != 0) {
            LOG.log(Level.WARNING, "{0} pooled buffer(s) still out after shutdown", out);
        }
        LOG.log(Level.DEBUG, "tap target shut down");
    }
}
