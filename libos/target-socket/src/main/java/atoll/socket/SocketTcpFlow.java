package atoll.socket;

import atoll.libos.buffer.BufferQuota;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DeadlineTracker;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowLimitException;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.FlowTimeoutException.Deadline;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.TcpFlow;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A TCP connection on a non-blocking {@link SocketChannel} whose readiness comes from the event
 * loop, used from virtual threads: a read or write that finds nothing to do arms interest in the
 * channel and parks its thread until the loop reports readiness or the deadline passes.
 *
 * <p>The thread that waits is the one that decides a deadline has passed, and only after a read
 * found no data: nothing closes the channel under a read that has just returned bytes, so bytes
 * that arrive at the deadline are still delivered and can be answered (the race of a timer that
 * closes the channel after {@code read} returned data, but before the timer was cancelled, is
 * gone with the timer). The loop only unparks; it never reads or writes a flow.
 *
 * <p>Nagle's algorithm is off ({@code TCP_NODELAY}), as {@link TcpFlow#write} says: a handler
 * writes whole protocol units, and a unit's short last segment must not wait for the peer's
 * delayed ACK.
 */
final class SocketTcpFlow implements TcpFlow, EventLoop.ReadyHandler {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    private final SocketChannel channel;
    private final EventLoop loop;
    private final SocketNetworkStack stack;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress remoteAddress;
    private final BufferQuota buffers;
    private final SelectionKey key;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread readWaiter;
    private volatile Thread writeWaiter;
    /** Set by the loop when it saw read readiness; cleared by {@link #awaitReadable} before it waits. */
    private volatile boolean readReady;
    private final DeadlineTracker clock;
    private volatile boolean writing;

    /** @param nanoTime the monotonic clock deadlines are counted on (tests move it by hand) */
    SocketTcpFlow(SocketNetworkStack stack, SocketChannel channel, LongSupplier nanoTime) throws IOException {
        this.stack = stack;
        this.loop = stack.tcpLoop();
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
        this.buffers = new BufferQuota(stack.streamBufferPool(), stack.limits().flowBuffers());
        this.clock = new DeadlineTracker(nanoTime);
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        this.key = loop.register(channel, 0, this);
    }

    /** Whether Nagle's algorithm is off on the host socket (for tests: it always should be). */
    boolean nagleOff() throws IOException {
        return channel.getOption(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void deadlines(FlowDeadlines deadlines) {
        clock.set(deadlines);
    }

    @Override
    public int read(PooledBuffer into) throws IOException {
        ByteBuffer bb = into.writableByteBuffer();
        if (!bb.hasRemaining()) {
            throw new IllegalArgumentException("no tailroom to read into");
        }
        // A unit whose deadline passed before this call does not get more time by trickling.
        if (clock.inUnit() && clock.passed(clock.readDeadline())) {
            throw timeout(Deadline.UNIT);
        }
        while (true) {
            int n = channel.read(bb); // ClosedChannelException once closed
            if (n > 0) {
                clock.octetsArrived();
                into.commitWrite(bb);
                return n;
            }
            if (n < 0) {
                return -1;
            }
            long deadline = clock.readDeadline();
            if (clock.passed(deadline)) {
                throw timeout(clock.readDeadlineKind());
            }
            await(SelectionKey.OP_READ, deadline);
        }
    }

    @Override
    public void awaitReadable() throws IOException {
        while (true) {
            readReady = false;
            long deadline = clock.readDeadline();
            if (clock.passed(deadline)) {
                throw timeout(clock.readDeadlineKind());
            }
            await(SelectionKey.OP_READ, deadline);
            if (readReady) {
                return;
            }
        }
    }

    @Override
    public void unitComplete(boolean nextBegun) {
        clock.unitComplete(nextBegun);
    }

    @Override
    public void write(PooledBuffer from) throws IOException {
        ByteBuffer bb = from.readableByteBuffer();
        long deadline = clock.writeDeadline();
        writing = true;
        try {
            while (bb.hasRemaining()) {
                if (channel.write(bb) > 0) {
                    continue;
                }
                if (clock.passed(deadline)) {
                    throw timeout(Deadline.WRITE);
                }
                await(SelectionKey.OP_WRITE, deadline);
            }
        } finally {
            writing = false;
        }
    }

    /**
     * Parks the calling thread until the loop reports {@code op} readiness, the deadline passes,
     * or the flow is closed (the caller then finds out from the channel or the clock).
     */
    private void await(int op, long deadline) throws IOException {
        Thread me = Thread.currentThread();
        if (op == SelectionKey.OP_READ) {
            readWaiter = me;
        } else {
            writeWaiter = me;
        }
        try {
            try {
                key.interestOpsOr(op);
            } catch (CancelledKeyException e) {
                throw new ClosedChannelException();
            }
            loop.wakeup(); // the new interest takes effect at the loop's next select
            if (closed.get()) {
                throw new ClosedChannelException();
            }
            if (deadline == DeadlineTracker.NONE) {
                LockSupport.park(this);
            } else {
                long wait = deadline - clock.now();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        } finally {
            if (op == SelectionKey.OP_READ) {
                readWaiter = null;
            } else {
                writeWaiter = null;
            }
        }
    }

    /** On the loop: the channel is ready for what a waiting thread asked; wake it. */
    @Override
    public void onReady(SelectionKey k) {
        int ready = k.readyOps();
        try {
            k.interestOpsAnd(~ready); // level-triggered: stop reporting until a thread asks again
        } catch (CancelledKeyException closedMeanwhile) {
            // close() unparks the waiters itself
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            readReady = true;
            unpark(readWaiter);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            unpark(writeWaiter);
        }
    }

    private static void unpark(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private FlowTimeoutException timeout(Deadline which) {
        Duration limit = clock.limit(which);
        stack.timedOut(which);
        LOG.log(Level.DEBUG, "{0} deadline ({1}) passed on flow from {2}; closing it",
                which.name().toLowerCase(java.util.Locale.ROOT), limit, remoteAddress);
        close();
        return new FlowTimeoutException(which, switch (which) {
            case IDLE -> "no data from " + remoteAddress + " within " + limit;
            case UNIT -> "unit from " + remoteAddress + " not complete within " + limit + " of its first octet";
            case WRITE -> remoteAddress + " took no data for " + limit;
        });
    }

    @Override
    public PooledBuffer acquireBuffer() throws IOException {
        if (buffers.held() >= buffers.max()) {
            stack.bufferRefused(false);
            throw new FlowLimitException("flow from " + remoteAddress + " already holds its " + buffers.max()
                    + " buffers (" + StreamLimits.FLOW_BUFFERS.name() + ")");
        }
        PooledBuffer b = buffers.tryAcquire();
        if (b == null) {
            stack.bufferRefused(true);
            throw new FlowLimitException("no stream buffer free for flow from " + remoteAddress
                    + " (" + SocketTargetProvider.TCP_BUFFERS.name() + ")");
        }
        return b;
    }

    /** Between units with nothing being written: a flow the stack may close to make room. */
    boolean idleBetweenUnits() {
        return !clock.inUnit() && !writing && !closed.get();
    }

    /** When the flow last became idle (monotonic nanos). */
    long idleSince() {
        return clock.idleSince();
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing flow from " + remoteAddress + " failed", e);
        }
        unpark(readWaiter);
        unpark(writeWaiter);
        loop.wakeup(); // the selector finishes closing a cancelled channel at its next select
        stack.flowClosed(this);
    }


    @Override
    public String toString() {
        return "tcp " + localAddress + " <-> " + remoteAddress;
    }
}
