package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.net.NetworkStack;
import atoll.libos.runtime.Health;
import atoll.libos.runtime.Platform;
import atoll.libos.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;

/** The booted socket target: one event loop thread, its clock and the network stack. */
final class SocketPlatform implements Platform {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    private final EventLoop loop;
    private final SocketNetworkStack network;
    private final LoopClock clock;
    private final BufferPool pool;
    private final BufferPool streamPool;
    private boolean shutDown;

    SocketPlatform(EventLoop loop, SocketNetworkStack network, BufferPool pool, BufferPool streamPool) {
        this.loop = loop;
        this.network = network;
        this.clock = new LoopClock(loop);
        this.pool = pool;
        this.streamPool = streamPool;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Failed once the event loop has caught an {@link Error} (see {@link EventLoop}).
     */
    @Override
    public Health health() {
        return loop.health();
    }

    @Override
    public NetworkStack network() {
        return network;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** The event loop's thread (for tests). */
    Thread loopThread() {
        return loop.thread();
    }

    /**
     * {@inheritDoc}
     *
     * <p>In order: close the listeners so no new connection is accepted; wait up to {@code grace}
     * for flow handlers to return; close the flows still open (blocked reads end with an
     * {@link java.io.IOException}) and wait briefly for their handlers to unwind; close the UDP
     * endpoints (dropping queued datagrams); stop the event loop (pending timers never run) and
     * join its thread. Logs a warning if pooled buffers are still out afterwards. The pool's
     * memory is not freed: a handler still running may hold a buffer, and the process is about to
     * end anyway. Idempotent; a second call waits for the first to finish.
     */
    @Override
    public synchronized void shutdown(Duration grace) {
        if (shutDown) {
            return;
        }
        shutDown = true;
        network.shutdown(grace);
        loop.stop();
        long out = pool.outstanding() + streamPool.outstanding();
        if (out != 0) {
            LOG.log(Level.WARNING, "{0} pooled buffer(s) still out after shutdown (leaked, or held by a handler still running)", out);
        }
        LOG.log(Level.DEBUG, "socket target shut down");
    }
}
