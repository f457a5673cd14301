package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.FlowTimeoutException.Deadline;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.TcpListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deadlines of {@link atoll.libos.net.TcpFlow} on the socket target, against the kernel's TCP:
 * a unit's deadline counts from its first octet however it trickles, the idle deadline counts only
 * between units, a peer that does not read is closed at the write deadline, and bytes that arrived
 * are delivered and answerable even when the deadline has passed by the time they are read.
 * Durations are far apart (a deadline of half a second against a trickle that needs several), so
 * the outcomes do not depend on the machine's speed.
 */
@Timeout(120)
class TcpDeadlineTest {
    static final Duration LONG = Duration.ofSeconds(60);

    /** Reads a unit of {@code size} octets, declares it complete, and repeats; reports how it ended. */
    static CompletableFuture<Throwable> unitReader(Booted b, TcpListener[] l, FlowDeadlines d, int size) throws IOException {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        l[0] = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
            flow.deadlines(d);
            try (PooledBuffer buf = flow.acquireBuffer()) {
                while (true) {
                    buf.clear();
                    while (buf.length() < size) {
                        if (flow.read(buf) < 0) {
                            outcome.complete(null);
                            return;
                        }
                    }
                    flow.unitComplete(false);
                }
            } catch (IOException e) {
                outcome.complete(e);
            }
        });
        return outcome;
    }

    @Test
    void aTrickleCannotStretchTheUnitDeadline() throws Exception {
        try (Booted b = new Booted()) {
            TcpListener[] l = new TcpListener[1];
            CompletableFuture<Throwable> outcome =
                    unitReader(b, l, new FlowDeadlines(LONG, Duration.ofMillis(500), LONG), 64);
            try (SocketChannel c = SocketChannel.open(l[0].localAddress())) {
                // One octet every 100 ms: each read gets data, but the unit needs 6.4 s.
                for (int i = 0; i < 64 && !outcome.isDone(); i++) {
                    try {
                        c.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (IOException closedByServer) {
                        break;
                    }
                    Thread.sleep(100);
                }
                Throwable t = outcome.get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(Deadline.UNIT, assertInstanceOf(FlowTimeoutException.class, t).deadline(), String.valueOf(t));
                assertEquals(1, b.metrics.value(StreamLimits.METRIC_TIMEOUT_PREFIX + "unit"));
            }
        }
    }

    @Test
    void theIdleDeadlineCountsOnlyBetweenUnits() throws Exception {
        try (Booted b = new Booted()) {
            TcpListener[] l = new TcpListener[1];
            // Idle 300 ms, unit 30 s: a unit that takes 1 s to arrive is not cut by the idle deadline.
            CompletableFuture<Throwable> outcome =
                    unitReader(b, l, new FlowDeadlines(Duration.ofMillis(300), Duration.ofSeconds(30), LONG), 5);
            try (SocketChannel c = SocketChannel.open(l[0].localAddress())) {
                for (int i = 0; i < 5; i++) {
                    c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    Thread.sleep(200);
                }
                // The unit is complete; now silence past the idle deadline.
                Throwable t = outcome.get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(Deadline.IDLE, assertInstanceOf(FlowTimeoutException.class, t).deadline(), String.valueOf(t));
                assertEquals(0, b.metrics.value(StreamLimits.METRIC_TIMEOUT_PREFIX + "unit"));
                assertEquals(1, b.metrics.value(StreamLimits.METRIC_TIMEOUT_PREFIX + "idle"));
                assertEquals(-1, c.read(ByteBuffer.allocate(1)), "the flow was closed");
            }
        }
    }

    @Test
    void aPeerThatDoesNotReadIsClosedAtTheWriteDeadline() throws Exception {
        try (Booted b = new Booted()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicLong written = new AtomicLong();
            TcpListener l = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
                flow.deadlines(new FlowDeadlines(LONG, LONG, Duration.ofMillis(300)));
                try (PooledBuffer out = flow.acquireBuffer()) {
                    out.append(out.tailroom());
                    // Bounded: the socket buffers on loopback hold a few MB, far below this.
                    for (int i = 0; i < 100_000; i++) {
                        flow.write(out);
                        written.addAndGet(out.length());
                    }
                    outcome.complete(null);
                } catch (IOException e) {
                    outcome.complete(e);
                }
            });
            try (SocketChannel c = SocketChannel.open()) {
                c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                c.connect(l.localAddress());
                Throwable t = outcome.get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(Deadline.WRITE, assertInstanceOf(FlowTimeoutException.class, t).deadline(), String.valueOf(t));
                assertTrue(written.get() > 0);
                assertEquals(1, b.metrics.value(StreamLimits.METRIC_TIMEOUT_PREFIX + "write"));
            }
        }
    }

    /**
     * Issue 5's race: a timer closed the channel after {@code read} had returned a query but before
     * the timer was cancelled, so the answer was lost. Here the flow's clock is moved past the idle
     * deadline after the query has arrived and before the handler reads it: the query must still be
     * read and its answer written.
     */
    @Test
    void bytesThatArrivedAreAnsweredEvenWhenTheDeadlineHasPassed() throws Exception {
        try (Booted b = new Booted()) {
            AtomicLong now = new AtomicLong(1_000_000_000L);
            ((SocketNetworkStack) b.net()).flowClock(now::get);
            CountDownLatch arrived = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            TcpListener l = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
                flow.deadlines(new FlowDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
                try (PooledBuffer buf = flow.acquireBuffer()) {
                    arrived.await();
                    now.addAndGet(Duration.ofSeconds(10).toNanos()); // the idle deadline is long past
                    while (buf.length() < 3) {
                        flow.read(buf);
                    }
                    flow.unitComplete(false);
                    flow.write(buf); // the answer: the echo
                    outcome.complete(null);
                } catch (IOException | InterruptedException e) {
                    outcome.complete(e);
                }
            });
            try (SocketChannel c = SocketChannel.open(l.localAddress())) {
                c.write(ByteBuffer.wrap(new byte[] {7, 8, 9}));
                Thread.sleep(100); // let the kernel deliver it to the server's socket
                arrived.countDown();
                assertEquals(null, outcome.get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                ByteBuffer in = ByteBuffer.allocate(3);
                while (in.hasRemaining() && c.read(in) >= 0) {
                    // read the whole echo
                }
                assertArrayEquals(new byte[] {7, 8, 9}, in.array());
            }
        }
    }
}
