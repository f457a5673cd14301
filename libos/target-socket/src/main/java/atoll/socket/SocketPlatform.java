package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.net.NetworkStack;
import atoll.libos.runtime.Health;
import atoll.libos.runtime.Platform;
import atoll.libos.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;

/** The booted socket target: its event loop threads, the clock (on the first) and the network stack. */
final class SocketPlatform implements Platform {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    private final EventLoop loop;
    private final EventLoop[] loops;
    private final SocketNetworkStack network;
    private final LoopClock clock;
    private final EventLoop tcpLoop;
    private final BufferPool[] pools;
    private final BufferPool streamPool;
    private boolean shutDown;

    SocketPlatform(EventLoop loop, SocketNetworkStack network, BufferPool pool, BufferPool streamPool) {
        this(new EventLoop[] {loop}, loop, network, new BufferPool[] {pool}, streamPool);
    }

    /**
     * @param loops the event loops, started; the first runs timers and the clock
     * @param tcpLoop the loop TCP waits on: the first of {@code loops}, or one of its own (started)
     * @param pools each loop's datagram pool
     */
    SocketPlatform(EventLoop[] loops, EventLoop tcpLoop, SocketNetworkStack network, BufferPool[] pools,
            BufferPool streamPool) {
        this.loops = loops.clone();
        this.loop = loops[0];
        this.tcpLoop = tcpLoop;
        this.network = network;
        this.clock = new LoopClock(loop);
        this.pools = pools.clone();
        this.streamPool = streamPool;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Failed once any event loop has caught an {@link Error} (see {@link EventLoop}).
     */
    @Override
    public Health health() {
        for (EventLoop l : loops) {
            Health h = l.health();
            if (h != Health.SERVING) {
                return h;
            }
        }
        return tcpLoop.health();
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
        for (EventLoop l : loops) {
            l.stop();
        }
        if (tcpLoop != loop) {
            tcpLoop.stop();
        }
        long out = streamPool.outstanding();
        for (BufferPool p : pools) {
            out += p.outstanding();
        }
        if (out != 0) {
            LOG.log(Level.WARNING, "{0} pooled buffer(s) still out after shutdown (leaked, or held by a handler still running)", out);
        }
        LOG.log(Level.DEBUG, "socket target shut down");
    }
}
