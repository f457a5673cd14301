package atoll.libos.buffer;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of equally sized off-heap {@link PooledBuffer}s with reserved headroom.
 *
 * <p>Memory is allocated lazily from one shared {@link Arena}, at most {@code maxBuffers} blocks in
 * all; released blocks are reused. The pool counts buffers that are out (acquired, not yet
 * released).
 * {@link #outstanding()} is the leak check: tests assert it is zero at the end. With leak tracing
 * on ({@code -Datoll.buffer.leakTrace=true} or the constructor flag), every outstanding buffer
 * remembers where it was acquired and {@link #leakReport()} prints those stacks.
 *
 * <p>Thread-safe: acquire and release may be called from any thread.
 */
public final class BufferPool implements AutoCloseable {
    private final int bufferSize;
    private final int headroom;
    private final int maxBuffers;
    private final boolean traceLeaks;
    private final Arena arena = Arena.ofShared();
    // Released buffers, as a stack under this pool's lock: unlike a linked queue it allocates
    // nothing per acquire/release, which keeps the receive path allocation-free. Grown (rarely)
    // up to maxBuffers entries.
    private PooledBuffer[] idle = new PooledBuffer[16];
    private int idleCount;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong allocated = new AtomicLong();
    private final java.util.Set<PooledBuffer> live =
            java.util.Collections.newSetFromMap(new java.util.concurrent.ConcurrentHashMap<>());

    /**
     * @param bufferSize bytes per buffer, headroom included
     * @param headroom bytes left free in front of an acquired buffer's window
     * @param maxBuffers most blocks ever allocated; past that {@link #tryAcquire()} returns null
     */
    public BufferPool(int bufferSize, int headroom, int maxBuffers) {
        this(bufferSize, headroom, maxBuffers, Boolean.getBoolean("atoll.buffer.leakTrace"));
    }

    public BufferPool(int bufferSize, int headroom, int maxBuffers, boolean traceLeaks) {
        if (bufferSize <= 0 || headroom < 0 || headroom >= bufferSize || maxBuffers <= 0) {
            throw new IllegalArgumentException(
                    "bad pool geometry: size " + bufferSize + ", headroom " + headroom);
        }
        this.bufferSize = bufferSize;
        this.headroom = headroom;
        this.maxBuffers = maxBuffers;
        this.traceLeaks = traceLeaks;
    }

    /** Bytes per buffer, headroom included. */
    public int bufferSize() {
        return bufferSize;
    }

    /** Bytes reserved in front of a freshly acquired buffer's window. */
    public int headroom() {
        return headroom;
    }

    /**
     * Lends a buffer with an empty window at {@link #headroom()}. The caller owns it and must
     * release it exactly once.
     *
     * @throws IllegalStateException if all {@code maxBuffers} buffers are out
     */
    public PooledBuffer acquire() {
        PooledBuffer b = tryAcquire();
        if (b == null) {
            throw new IllegalStateException("buffer pool exhausted: all " + maxBuffers + " buffers are out");
        }
        return b;
    }

    /** Like {@link #acquire()}, but returns null when all buffers are out (callers drop or wait). */
    public PooledBuffer tryAcquire() {
        PooledBuffer b;
        synchronized (this) {
            if (idleCount > 0) {
                b = idle[--idleCount];
                idle[idleCount] = null;
            } else {
                if (allocated.get() >= maxBuffers) {
                    return null;
                }
                b = new PooledBuffer(this, arena.allocate(bufferSize, 64));
                allocated.incrementAndGet();
            }
        }
        b.reset(headroom);
        outstanding.incrementAndGet();
        if (traceLeaks) {
            b.acquiredAt = new Throwable("buffer acquired here");
            live.add(b);
        }
        return b;
    }

    void giveBack(PooledBuffer b) {
        outstanding.decrementAndGet();
        BufferQuota q = b.quota;
        if (q != null) {
            b.quota = null;
            q.returned();
        }
        if (traceLeaks) {
            live.remove(b);
            b.acquiredAt = null;
        }
        synchronized (this) {
            if (idleCount == idle.length) {
                idle = java.util.Arrays.copyOf(idle, Math.min(maxBuffers, idle.length * 2));
            }
            idle[idleCount++] = b;
        }
    }

    /** Buffers acquired and not yet released. Zero when nothing leaked. */
    public long outstanding() {
        return outstanding.get();
    }

    /** Buffers ever allocated (the pool's high-water mark). */
    public long allocated() {
        return allocated.get();
    }

    /** Where each outstanding buffer was acquired (empty unless leak tracing is on). */
    public List<Throwable> leakReport() {
        List<Throwable> out = new ArrayList<>();
        for (PooledBuffer b : live) {
            Throwable t = b.acquiredAt;
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Throws if any buffer is outstanding, naming the count (and the acquisition sites when
     * tracing).
     */
    public void assertNoLeaks() {
        long n = outstanding();
        if (n != 0) {
            AssertionError e = new AssertionError(n + " pooled buffer(s) leaked");
            leakReport().forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Frees all memory. Outstanding buffers become invalid. */
    @Override
    public void close() {
        synchronized (this) {
            java.util.Arrays.fill(idle, null);
            idleCount = 0;
        }
        arena.close();
    }
}
