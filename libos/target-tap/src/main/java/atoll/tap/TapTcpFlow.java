package atoll.tap;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.TcpFlow;
import atoll.stack.tcp.CloseReason;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TCP connection of the tap target's stack, as a blocking {@link TcpFlow} for a virtual
 * thread. The engine's {@link TcpConnection} lives on the event loop: every read, write and close
 * runs there (through {@link TapLoop#call}), and the engine's events ({@link TcpHandler}, on the
 * loop) wake the waiting flow thread through a condition.
 */
final class TapTcpFlow implements TcpFlow, TcpHandler {
    private final TapNetworkStack stack;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile TcpConnection connection;
    private volatile Duration readTimeout = Duration.ZERO;
    // Guarded by lock; set on the loop by engine events.
    private boolean established;
    private boolean readable;
    private boolean writable;
    private boolean peerClosed;
    private CloseReason closedBecause;
    private boolean closeCalled;

    TapTcpFlow(TapNetworkStack stack) {
        this.stack = stack;
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
        stack.flowClosed(this);
    }

    // ------------------------------------------------------------ flow API (flow thread)

    /** The connection's state, or null before the engine has one. Loop thread. */
    TcpState state() {
        TcpConnection c = connection;
        return c == null ? null : c.state();
    }

    /** Waits (bounded) for the handshake of an active open; throws if it failed. */
    void awaitEstablished(Duration limit) throws IOException {
        long left = limit.toNanos();
        lock.lock();
        try {
            while (!established && closedBecause == null) {
                if (left <= 0) {
                    throw new IOException("connect to " + remoteAddress() + " timed out after " + limit);
                }
                left = changed.awaitNanos(left);
            }
            if (!established) {
                throw new java.net.ConnectException("connect to " + remoteAddress() + " failed: "
                        + (closedBecause == CloseReason.REFUSED ? "refused" : closedBecause.toString().toLowerCase()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting");
        } finally {
            lock.unlock();
        }
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
    public int read(PooledBuffer into) throws IOException {
        if (into.tailroom() == 0) {
            throw new IllegalArgumentException("no tailroom to read into");
        }
        Duration timeout = readTimeout;
        long left = timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos();
        while (true) {
            lock.lock();
            try {
                readable = false; // an event from here on is news
                if (closeCalled) {
                    throw new IOException("flow closed");
                }
            } finally {
                lock.unlock();
            }
            MemorySegment tail = into.memory().asSlice(into.end(), into.tailroom());
            int n = stack.loop().call(() -> connection.read(tail), TapNetworkStack.LOOP_CALL_LIMIT);
            if (n > 0) {
                into.append(n);
                return n;
            }
            lock.lock();
            try {
                while (!readable && !peerClosed && closedBecause == null && !closeCalled) {
                    if (left <= 0) {
                        throw new FlowTimeoutException("no data from " + remoteAddress() + " within " + timeout);
                    }
                    if (left == Long.MAX_VALUE) {
                        changed.await(); // no read timeout: wait for ever
                    } else {
                        left = changed.awaitNanos(left);
                    }
                }
                if (readable) {
                    continue; // read again
                }
                if (closeCalled) {
                    throw new IOException("flow closed");
                }
                if (peerClosed || closedBecause == CloseReason.NORMAL) {
                    return -1;
                }
                throw new IOException("connection " + closedBecause.toString().toLowerCase());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading");
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void write(PooledBuffer from) throws IOException {
        MemorySegment data = from.data();
        long offset = 0;
        while (offset < data.byteSize()) {
            lock.lock();
            try {
                writable = false;
                if (closeCalled || closedBecause != null) {
                    throw new IOException("connection " + (closeCalled ? "closed" : closedBecause.toString().toLowerCase()));
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
                lock.lock();
                try {
                    while (!writable && closedBecause == null && !closeCalled) {
                        changed.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while writing");
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    public void readTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout);
        }
        readTimeout = timeout;
    }

    @Override
    public void shutdownOutput() throws IOException {
        stack.loop().call(() -> {
            connection.close(); // RFC 9293 §3.10.4: FIN after the queued bytes; reading goes on
            return null;
        }, TapNetworkStack.LOOP_CALL_LIMIT);
    }

    /** Closes both directions: FIN after what was written. Idempotent. */
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
        if (c == null) {
            return;
        }
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

    /** Resets the connection (shutdown of the target); a blocked read ends with an IOException. */
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
    }
}
