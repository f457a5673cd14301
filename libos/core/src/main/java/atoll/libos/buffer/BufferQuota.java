package atoll.libos.buffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A share of a {@link BufferPool}: lends at most {@code max} of its buffers at once, and gets each
 * one back when its last holder releases it. Targets give one to each stream flow so that no flow
 * can hold more than its share of the pool. Thread-safe.
 */
public final class BufferQuota {
    private final BufferPool pool;
    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    public BufferQuota(BufferPool pool, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("quota must be positive: " + max);
        }
        this.pool = pool;
        this.max = max;
    }

    /**
     * A buffer from the pool counted against this share, or null if the share is used up
     * ({@link #held()} {@code == max}) or the pool has none free.
     */
    public PooledBuffer tryAcquire() {
        while (true) {
            int n = held.get();
            if (n >= max) {
                return null;
            }
            if (held.compareAndSet(n, n + 1)) {
                break;
            }
        }
        PooledBuffer b = pool.tryAcquire();
        if (b == null) {
            held.decrementAndGet();
            return null;
        }
        b.quota = this;
        return b;
    }

    /** Buffers lent under this share and not yet released. */
    public int held() {
        return held.get();
    }

    public int max() {
        return max;
    }

    /** Called by the pool when a buffer lent under this share comes back. */
    void returned() {
        held.decrementAndGet();
    }
}
