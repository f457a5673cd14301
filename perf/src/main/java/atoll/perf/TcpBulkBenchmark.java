package atoll.perf;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.stack.tcp.CongestionAlgorithm;
import atoll.stack.tcp.TcpConfig;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpStack;
import atoll.stack.tcp.TcpState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stack-to-stack TCP bulk transfer on one thread: two {@link TcpStack}s joined by a lossless
 * in-memory link (segments delivered in order, each copied once into a fresh buffer as a device
 * read would), one connection, the sender writing
 * from an off-heap block and the receiver taking the received buffers zero-copy and releasing
 * them. One operation moves {@link #CHUNK} bytes from sender to receiver, ACKs included; every
 * segment is checksummed on send and verified on receive. Gbit/s = ops/s × 65536 × 8 / 1e9.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} ÷ {@code segments} (an auxiliary counter:
 * segments per operation, data and ACKs) is the allocation per segment.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TcpBulkBenchmark {
    static final int CHUNK = 64 * 1024;
    static final int A = 0xC0000201;
    static final int B = 0xC0000202;

    @Param({"CUBIC"})
    public CongestionAlgorithm cc;

    /** Lossless link: a ring of segments per direction, delivered in order. */
    static final class Ring {
        private final BufferPool pool;

        Ring(BufferPool pool) {
            this.pool = pool;
        }

        final PooledBuffer[] buf = new PooledBuffer[1 << 16];
        final int[] src = new int[1 << 16];
        final int[] dst = new int[1 << 16];
        int head;
        int tail;
        long count;

        void add(int s, int d, PooledBuffer b) {
            int i = tail++ & (buf.length - 1);
            buf[i] = b;
            src[i] = s;
            dst[i] = d;
            count++;
        }

        boolean deliverOne(long now, TcpStack a, TcpStack b) {
            if (head == tail) {
                return false;
            }
            int i = head++ & (buf.length - 1);
            PooledBuffer seg = buf[i];
            buf[i] = null;
            // The wire: the receiver reads the bytes into a buffer of its own, as a device read
            // does (one copy per segment, counted in the result).
            PooledBuffer copy = pool.acquire();
            MemorySegment.copy(seg.memory(), seg.start(), copy.memory(), copy.start(), seg.length());
            copy.append(seg.length());
            seg.release();
            (dst[i] == A ? a : b).receive(now, src[i], dst[i], copy);
            return true;
        }
    }

    /** Segments per operation, for bytes per segment with -prof gc. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long segments;

        @Setup(Level.Iteration)
        public void reset() {
            segments = 0;
        }
    }

    private BufferPool pool;
    private Arena arena;
    private MemorySegment source;
    private Ring ring;
    private TcpStack a;
    private TcpStack b;
    private TcpConnection sender;
    private long now = 1_000_000_000L;
    private long received;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new BufferPool(2048, 128, 8192);
        ring = new Ring(pool);
        arena = Arena.ofShared();
        source = arena.allocate(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            source.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        TcpConfig config = TcpConfig.defaults().withCongestionControl(cc);
        a = new TcpStack(config, pool, ring::add, Entropies.seeded(1));
        b = new TcpStack(config, pool, ring::add, Entropies.seeded(2));
        TcpHandler reader = new TcpHandler() {
            @Override
            public void readable(TcpConnection c) {
                PooledBuffer p;
                while ((p = c.readBuffer()) != null) {
                    received += p.length();
                    p.release();
                }
            }
        };
        b.listen(0, 5001, c -> reader);
        sender = a.connect(now, A, 40000, B, 5001, new TcpHandler() {});
        pump();
        if (sender.state() != TcpState.ESTABLISHED) {
            throw new IllegalStateException("handshake failed: " + sender.state());
        }
    }

    private void pump() {
        while (ring.deliverOne(now, a, b)) {
            // deliver until quiet
        }
    }

    @Benchmark
    public long transfer(Counters counters) {
        long before = ring.count;
        long target = received + CHUNK;
        int offset = 0;
        while (received < target) {
            if (offset < CHUNK) {
                offset += sender.write(source, offset, CHUNK - offset);
            }
            if (!ring.deliverOne(now, a, b)) {
                // Nothing in flight: let time pass so that delayed ACKs (and any timer) fire.
                now = Math.min(Math.min(a.nextDeadline(), b.nextDeadline()), now + 1_000_000L);
                a.onTimer(now);
                b.onTimer(now);
            }
        }
        counters.segments += ring.count - before;
        return received;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.shutdown(now);
        b.shutdown(now);
        while (ring.head != ring.tail) {
            PooledBuffer p = ring.buf[ring.head++ & (ring.buf.length - 1)];
            p.release();
        }
        arena.close();
        if (pool.outstanding() != 0) {
            throw new IllegalStateException(pool.outstanding() + " buffers leaked");
        }
        pool.close();
    }
}
