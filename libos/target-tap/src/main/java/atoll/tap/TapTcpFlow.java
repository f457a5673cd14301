package atoll.tap;

import atoll.libos.buffer.BufferQuota;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DeadlineTracker;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowLimitException;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.FlowTimeoutException.Deadline;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.TcpFlow;
import atoll.stack.tcp.CloseReason;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TCP connection of the tap target's stack, as a blocking {@link TcpFlow} for a virtual
 * thread. The engine's {@link TcpConnection} lives on the event loop: every read, write and close
 * runs there (through {@link TapLoop#call}), and the engine's events ({@link TcpHandler}, on the
 * loop) wake the waiting flow thread through a condition.
 *
 * <p>Deadlines ({@link FlowDeadlines}) are decided by the thread that waits, and only after a read
 * found nothing, as on the socket target: bytes that have arrived are always delivered.
 */
final class TapTcpFlow implements TcpFlow, TcpHandler {
    private static final System.Logger LOG = System.getLogger("atoll.tap");

    private final TapNetworkStack stack;
    private final BufferQuota buffers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile TcpConnection connection;
    private final DeadlineTracker clock = new DeadlineTracker(System::nanoTime);
    private volatile boolean writing;
    /** Set when the listener admitted this flow (a slot to give back when it closes). */
    volatile InetSocketAddress admittedFrom;
    // Guarded by lock; set on the loop by engine events.
    private boolean established;
    private boolean readable;
    private boolean writable;
    private boolean peerClosed;
    private CloseReason closedBecause;
    private boolean closeCalled;

    /**
     * @param connection the engine's connection when known at creation (a passive open: the
     *     handler's thread starts before the engine reports {@code connected}); null for an active
     *     open, whose first event supplies it
     */
    TapTcpFlow(TapNetworkStack stack, TcpConnection connection) {
        this.stack = stack;
        this.connection = connection;
        this.buffers = new BufferQuota(stack.streamBufferPool(), stack.limits().flowBuffers());
    }

    /** The connection an active open created (before any event may have named it). */
    void attach(TcpConnection c) {
        lock.lock();
        try {
            if (connection == null) {
                connection = c;
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ engine events (loop thread)

    private void event(TcpConnection c, Runnable change) {
        lock.lock();
        try {
            if (connection == null) {
                connection = c;
            }
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void connected(TcpConnection c) {
        event(c, () -> established = true);
    }

    @Override
    public void readable(TcpConnection c) {
        event(c, () -> readable = true);
    }

    @Override
    public void writable(TcpConnection c) {
        event(c, () -> writable = true);
    }

    @Override
    public void peerClosed(TcpConnection c) {
        event(c, () -> peerClosed = true);
    }

    @Override
    public void closed(TcpConnection c, CloseReason reason) {
        event(c, () -> closedBecause = reason);
        release();
    }

    // ------------------------------------------------------------ flow API (flow thread)

    /** Waits (bounded) for the handshake of an active open; throws if it failed. */
    void awaitEstablished(Duration limit) throws IOException {
        long left = limit.toNanos();
        lock.lock();
        try {
            while (!established && closedBecause == null) {
                if (left <= 0) {
                    throw new IOException("connect timed out after " + limit);
                }
                left = changed.awaitNanos(left);
            }
            if (!established) {
                throw new java.net.ConnectException("connect failed: "
                        + (closedBecause == CloseReason.REFUSED ? "refused" : closedBecause.toString().toLowerCase()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting");
        } finally {
            lock.unlock();
        }
    }

    /** The connection's state, or null before the engine has one. */
    TcpState state() {
        TcpConnection c = connection;
        return c == null ? null : c.state();
    }

    @Override
    public InetSocketAddress localAddress() {
        TcpConnection c = connection;
        return address(c.localAddress(), c.localPort());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        TcpConnection c = connection;
        return address(c.remoteAddress(), c.remotePort());
    }

    private static InetSocketAddress address(int bits, int port) {
        return new InetSocketAddress(new atoll.stack.wire.Ipv4Address(bits).toInetAddress(), port);
    }

    @Override
    public void deadlines(FlowDeadlines deadlines) {
        clock.set(deadlines);
    }

    @Override
    public int read(PooledBuffer into) throws IOException {
        if (into.tailroom() == 0) {
            throw new IllegalArgumentException("no tailroom to read into");
        }
        // A unit whose deadline passed before this call does not get more time by trickling.
        if (clock.inUnit() && clock.passed(clock.readDeadline())) {
            throw timeout(Deadline.UNIT);
        }
        while (true) {
            clearReadable();
            MemorySegment tail = into.memory().asSlice(into.end(), into.tailroom());
            int n = stack.loop().call(() -> connection.read(tail), TapNetworkStack.LOOP_CALL_LIMIT);
            if (n > 0) {
                clock.octetsArrived();
                into.append(n);
                return n;
            }
            int ended = awaitEvent(true);
            if (ended != 0) {
                return ended;
            }
        }
    }

    @Override
    public void awaitReadable() throws IOException {
        while (true) {
            clearReadable();
            boolean waiting = stack.loop().call(() -> connection.readableBytes() > 0, TapNetworkStack.LOOP_CALL_LIMIT);
            if (waiting) {
                return;
            }
            if (awaitEvent(true) != 0) {
                return; // end of stream: the next read says so
            }
            lock.lock();
            try {
                if (readable) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void clearReadable() throws IOException {
        lock.lock();
        try {
            readable = false;
            if (closeCalled) {
                throw new IOException("flow closed");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for news about reading (data, end of stream, close) until the read deadline.
     *
     * @return 0 to read again, -1 at end of stream
     * @throws FlowTimeoutException when the deadline passes first
     */
    private int awaitEvent(boolean forRead) throws IOException {
        lock.lock();
        try {
            while (true) {
                if (readable) {
                    return 0;
                }
                if (closeCalled) {
                    throw new IOException("flow closed");
                }
                if (peerClosed || closedBecause == CloseReason.NORMAL) {
                    return -1;
                }
                if (closedBecause != null) {
                    throw new IOException("connection " + closedBecause.toString().toLowerCase(java.util.Locale.ROOT));
                }
                long deadline = clock.readDeadline();
                if (deadline == DeadlineTracker.NONE) {
                    changed.await();
                } else {
                    long wait = deadline - clock.now();
                    if (wait <= 0) {
                        throw timeout(clock.readDeadlineKind());
                    }
                    changed.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unitComplete(boolean nextBegun) {
        clock.unitComplete(nextBegun);
    }

    @Override
    public void write(PooledBuffer from) throws IOException {
        MemorySegment data = from.data();
        long deadline = clock.writeDeadline();
        writing = true;
        try {
            long offset = 0;
            while (offset < data.byteSize()) {
                lock.lock();
                try {
                    writable = false;
                    if (closeCalled || closedBecause != null) {
                        throw new IOException("connection " + (closeCalled ? "closed"
                                : closedBecause.toString().toLowerCase(java.util.Locale.ROOT)));
                    }
                } finally {
                    lock.unlock();
                }
                MemorySegment rest = data.asSlice(offset);
                int n;
                try {
                    n = stack.loop().call(() -> connection.write(rest), TapNetworkStack.LOOP_CALL_LIMIT);
                } catch (IllegalStateException e) {
                    throw new IOException("cannot write: " + e.getMessage(), e);
                }
                offset += n;
                if (offset < data.byteSize()) {
                    awaitWritable(deadline);
                }
            }
        } finally {
            writing = false;
        }
    }

    private void awaitWritable(long deadline) throws IOException {
        lock.lock();
        try {
            while (!writable && closedBecause == null && !closeCalled) {
                if (deadline == DeadlineTracker.NONE) {
                    changed.await();
                } else {
                    long wait = deadline - clock.now();
                    if (wait <= 0) {
                        throw timeout(Deadline.WRITE);
                    }
                    changed.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        } finally {
            lock.unlock();
        }
    }

    private FlowTimeoutException timeout(Deadline which) {
        Duration limit = clock.limit(which);
        stack.timedOut(which);
        InetSocketAddress peer = connection == null ? null : remoteAddress();
        LOG.log(Level.DEBUG, "{0} deadline ({1}) passed on flow from {2}; closing it",
                which.name().toLowerCase(java.util.Locale.ROOT), limit, peer);
        close();
        return new FlowTimeoutException(which, switch (which) {
            case IDLE -> "no data from " + peer + " within " + limit;
            case UNIT -> "unit from " + peer + " not complete within " + limit + " of its first octet";
            case WRITE -> peer + " took no data for " + limit;
        });
    }

    @Override
    public PooledBuffer acquireBuffer() throws IOException {
        if (buffers.held() >= buffers.max()) {
            stack.bufferRefused(false);
            throw new FlowLimitException("flow from " + remoteAddress() + " already holds its " + buffers.max()
                    + " buffers (" + StreamLimits.FLOW_BUFFERS.name() + ")");
        }
        PooledBuffer b = buffers.tryAcquire();
        if (b == null) {
            stack.bufferRefused(true);
            throw new FlowLimitException("no stream buffer free for flow from " + remoteAddress() + " ("
                    + TapTargetProvider.TCP_BUFFERS.name() + ")");
        }
        return b;
    }

    /** Between units with nothing being written: a flow the stack may close to make room. */
    boolean idleBetweenUnits() {
        return !clock.inUnit() && !writing && !isClosed();
    }

    /** When the flow last became idle (monotonic nanos). */
    long idleSince() {
        return clock.idleSince();
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closeCalled || closedBecause != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        stack.loop().call(() -> {
            connection.close(); // RFC 9293 §3.10.4: FIN after the queued bytes; reading goes on
            return null;
        }, TapNetworkStack.LOOP_CALL_LIMIT);
    }

    /** Closes both directions: FIN after what was written; waiting calls end with an IOException. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        TcpConnection c = connection;
        if (c != null) {
            Runnable close = () -> {
                if (c.state() != TcpState.CLOSED) {
                    c.close();
                }
            };
            if (stack.loop().inLoop()) {
                close.run();
            } else {
                stack.loop().execute(close);
            }
        }
        release();
    }

    /** Resets the connection; a blocked call ends with an IOException. */
    void abort() {
        lock.lock();
        try {
            closeCalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        TcpConnection c = connection;
        if (c != null) {
            stack.loop().execute(c::abort);
        }
        release();
    }

    /** Gives back the flow's admission slot and leaves the stack's table, once. */
    private void release() {
        if (released.compareAndSet(false, true)) {
            stack.flowClosed(this);
        }
    }

}
