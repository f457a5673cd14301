package atoll.stack.tcp;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A segment-level in-memory link between TCP stacks with seeded impairments: loss, duplication,
 * reordering (random extra delay) and corruption (one flipped bit, which the checksum must catch).
 * Test-only stand-in until libos/testkit's frame link lands; it carries TCP segments, not frames.
 */
final class SimLink {
    record Impairments(double loss, double duplicate, double reorder, double corrupt) {
        static final Impairments NONE = new Impairments(0, 0, 0, 0);
    }

    private record InFlight(long deliverAt, long order, int src, int dst, PooledBuffer segment) {}

    private final BufferPool pool;
    private final Impairments impairments;
    private final SplittableRandom random;
    private final long delay;
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.order, b.order));
    private long order;
    private final java.util.Map<Integer, TcpStack> hosts = new java.util.HashMap<>();
    long dropped;
    long corrupted;
    long duplicated;
    long reordered;
    long carried;

    SimLink(BufferPool pool, Impairments impairments, long seed, long delayNanos) {
        this.pool = pool;
        this.impairments = impairments;
        this.random = new SplittableRandom(seed);
        this.delay = delayNanos;
    }

    void attach(int addr, TcpStack stack) {
        hosts.put(addr, stack);
    }

    /** An {@link TcpStack.Output} that puts segments on this link at the time {@code clock} says. */
    TcpStack.Output output(java.util.function.LongSupplier clock) {
        return (src, dst, b) -> send(clock.getAsLong(), src, dst, b);
    }

    void send(long now, int src, int dst, PooledBuffer b) {
        carried++;
        if (random.nextDouble() < impairments.loss()) {
            dropped++;
            b.release();
            return;
        }
        if (random.nextDouble() < impairments.duplicate()) {
            PooledBuffer copy = pool.tryAcquire();
            if (copy != null) {
                duplicated++;
                MemorySegment.copy(b.memory(), b.start(), copy.memory(), copy.start(), b.length());
                copy.append(b.length());
                enqueue(now, src, dst, copy);
            }
        }
        if (random.nextDouble() < impairments.corrupt()) {
            corrupted++;
            int at = b.start() + random.nextInt(b.length());
            MemorySegment m = b.memory();
            m.set(ValueLayout.JAVA_BYTE, at, (byte) (m.get(ValueLayout.JAVA_BYTE, at) ^ (1 << random.nextInt(8))));
        }
        enqueue(now, src, dst, b);
    }

    private void enqueue(long now, int src, int dst, PooledBuffer b) {
        long at = now + delay;
        if (random.nextDouble() < impairments.reorder()) {
            reordered++;
            at += 1 + random.nextLong(3 * delay);
        }
        queue.add(new InFlight(at, order++, src, dst, b));
    }

    long nextDelivery() {
        InFlight f = queue.peek();
        return f == null ? Long.MAX_VALUE : f.deliverAt;
    }

    /** Delivers every segment due at {@code now}; returns how many. */
    int deliver(long now) {
        int n = 0;
        while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
            InFlight f = queue.poll();
            TcpStack to = hosts.get(f.dst);
            PooledBuffer wire = copy(f.segment);
            f.segment.release();
            if (to != null && wire != null) {
                to.receive(now, f.src, f.dst, wire);
            } else if (wire != null) {
                wire.release();
            }
            n++;
        }
        return n;
    }

    /** What arrives is a fresh buffer, as from a device read: the sender's header records stay behind. */
    private PooledBuffer copy(PooledBuffer b) {
        PooledBuffer c = pool.tryAcquire();
        if (c != null) {
            MemorySegment.copy(b.memory(), b.start(), c.memory(), c.start(), b.length());
            c.append(b.length());
        }
        return c;
    }

    boolean idle() {
        return queue.isEmpty();
    }

    void drain() {
        for (InFlight f; (f = queue.poll()) != null; ) {
            f.segment.release();
        }
    }
}
