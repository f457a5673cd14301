package atoll.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowLimitException;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.FlowTimeoutException.Deadline;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every target's TCP must do, through the {@code NetworkStack} interface only, against host
 * sockets as peers. A target runs these with a subclass whose only job is {@link #boot()}; checks
 * of one target's internals stay beside that target.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TcpContractTest {

    /** Boots a fresh instance of the target for one test. */
    protected abstract StackUnderTest boot() throws Exception;

    /** The address families the target supports (both by default). */
    protected Stream<StandardProtocolFamily> families() {
        return Stream.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6);
    }

    private StandardProtocolFamily anyFamily() {
        return families().findFirst().orElseThrow();
    }

    /** Echoes every byte until end of stream, through one pooled buffer. */
    private static FlowHandler echo(BufferPool pool) {
        return flow -> {
            try (PooledBuffer buf = pool.acquire()) {
                while (true) {
                    buf.clear();
                    int n = flow.read(buf);
                    if (n < 0) {
                        return;
                    }
                    flow.write(buf);
                    assertEquals(n, buf.length(), "write leaves the window as it was");
                }
            }
        };
    }

    private static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 131 + i * 7);
        }
        return b;
    }

    private static byte[] readFully(SocketChannel c, int length) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(length);
        while (in.hasRemaining()) {
            if (c.read(in) < 0) {
                throw new IOException("early end of stream after " + in.position() + " bytes");
            }
        }
        return in.array();
    }

    @ParameterizedTest
    @MethodSource("families")
    void echoesForConcurrentClients(StandardProtocolFamily family) throws Exception {
        int clients = 8;
        try (StackUnderTest b = boot()) {
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(family), 0), echo(b.pool()));
            assertTrue(l.localAddress().getPort() != 0);
            ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
            CountDownLatch allConnected = new CountDownLatch(clients);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int id = i;
                results.add(ex.submit(() -> {
                    try (SocketChannel c = b.connectPeerTcp(l.localAddress())) {
                        allConnected.countDown();
                        for (int round = 0; round < 20; round++) {
                            // Up to 200 KB: more than one read's worth, so the handler loops.
                            byte[] m = pattern(id * 100 + round, 1 + (round * 10_007) % 200_000);
                            c.write(ByteBuffer.wrap(m));
                            assertArrayEquals(m, readFully(c, m.length));
                        }
                        c.shutdownOutput();
                        assertEquals(-1, c.read(ByteBuffer.allocate(1)), "server closed after our FIN");
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            ex.shutdown();
            Wait.until("all handlers returned", () -> l.activeFlows() == 0);
        }
    }

    @Test
    void activeFlowsCountsRunningHandlers() throws Exception {
        try (StackUnderTest b = boot()) {
            CountDownLatch inHandler = new CountDownLatch(2);
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
                inHandler.countDown();
                echo(b.pool()).onFlow(flow);
            });
            assertEquals(0, l.activeFlows());
            try (SocketChannel c1 = b.connectPeerTcp(l.localAddress());
                    SocketChannel c2 = b.connectPeerTcp(l.localAddress())) {
                Wait.await(inHandler);
                assertEquals(2, l.activeFlows());
                c1.close();
                Wait.until("one handler returned", () -> l.activeFlows() == 1);
            }
            Wait.until("both handlers returned", () -> l.activeFlows() == 0);
            l.close();
            l.close(); // idempotent
            assertThrows(IOException.class, () -> b.connectPeerTcp(l.localAddress()).close(),
                    "a closed listener refuses connections");
        }
    }

    @Test
    void idleDeadlineRaisesFlowTimeoutExceptionAndClosesTheFlow() throws Exception {
        try (StackUnderTest b = boot()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
                flow.deadlines(new FlowDeadlines(Duration.ofMillis(200), Duration.ZERO, Duration.ZERO));
                try (PooledBuffer buf = b.pool().acquire()) {
                    flow.read(buf);
                    outcome.complete(null);
                } catch (IOException e) {
                    outcome.complete(e);
                }
            });
            try (SocketChannel c = b.connectPeerTcp(l.localAddress())) {
                Throwable t = outcome.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                assertInstanceOf(FlowTimeoutException.class, t);
                assertEquals(-1, c.read(ByteBuffer.allocate(1)), "the flow was closed");
            }
        }
    }

    @Test
    void dataBeforeTheTimeoutIsRead() throws Exception {
        try (StackUnderTest b = boot()) {
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
                flow.deadlines(new FlowDeadlines(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ZERO));
                try (PooledBuffer buf = b.pool().acquire()) {
                    ByteBuffer all = ByteBuffer.allocate(6);
                    while (all.hasRemaining()) {
                        buf.clear();
                        int n = flow.read(buf);
                        assertTrue(n > 0);
                        all.put(buf.toByteArray());
                    }
                    got.complete(all.array());
                    flow.write(buf); // still usable after timed reads
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
            try (SocketChannel c = b.connectPeerTcp(l.localAddress())) {
                c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                c.write(ByteBuffer.wrap(new byte[] {4, 5, 6}));
                assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, got.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
                assertTrue(readFully(c, 1).length == 1);
            }
        }
    }

    @Test
    void shutdownClosesAFlowBlockedInRead() throws Exception {
        StackUnderTest b = boot();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CountDownLatch reading = new CountDownLatch(1);
        TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
            try (PooledBuffer buf = b.pool().acquire()) {
                reading.countDown();
                flow.read(buf); // no timeout: blocks until shutdown closes the flow
                outcome.complete(null);
            } catch (IOException e) {
                outcome.complete(e);
            }
        });
        try (SocketChannel c = b.connectPeerTcp(l.localAddress())) {
            Wait.await(reading);
            assertEquals(1, l.activeFlows());
            b.close(); // grace 5 s, then the flow is closed under the handler; checks for leaks
            assertTrue(outcome.isDone(), "shutdown waited for the handler to unwind");
            Throwable t = outcome.get();
            assertInstanceOf(IOException.class, t);
            assertFalse(t instanceof FlowTimeoutException, "not a timeout: " + t);
            assertEquals(0, l.activeFlows());
            assertEquals(-1, c.read(ByteBuffer.allocate(1)), "the peer sees the connection end");
        }
        b.shutdown(Duration.ZERO); // idempotent
    }

    @Test
    void shutdownLetsHandlersFinishWithinGrace() throws Exception {
        StackUnderTest b = boot();
        AtomicBoolean first = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
            if (!first.getAndSet(false)) {
                return; // a probe from the test below
            }
            started.countDown();
            try (PooledBuffer buf = b.pool().acquire()) {
                finish.await();
                buf.putU8('k');
                flow.write(buf); // fails if shutdown closed the flow under us
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        });
        try (SocketChannel c = b.connectPeerTcp(l.localAddress())) {
            Wait.await(started);
            Thread shutdown = Thread.ofVirtual().start(() -> b.shutdown(Wait.LIMIT));
            Wait.until("shutdown closed the listener", () -> refuses(b, l));
            finish.countDown();
            shutdown.join();
            assertArrayEquals(new byte[] {'k'}, readFully(c, 1), "the handler wrote after shutdown began");
            assertEquals(0, l.activeFlows());
            b.pool().assertNoLeaks();
        }
    }

    private static boolean refuses(StackUnderTest b, TcpListener l) {
        try (SocketChannel probe = b.connectPeerTcp(l.localAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void connectTcpReachesAListener(StandardProtocolFamily family) throws Exception {
        try (StackUnderTest b = boot()) {
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(family), 0), echo(b.pool()));
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (TcpFlow f = b.network().connectTcp(l.localAddress()); PooledBuffer buf = b.pool().acquire()) {
                    assertEquals(l.localAddress(), f.remoteAddress());
                    byte[] hello = pattern(3, 1000);
                    buf.put(hello, 0, hello.length);
                    f.write(buf);
                    f.shutdownOutput();
                    buf.clear();
                    while (f.read(buf) >= 0 && buf.length() < hello.length) {
                        // keep reading into the tailroom
                    }
                    echoed.complete(buf.toByteArray());
                } catch (Throwable t) {
                    echoed.completeExceptionally(t);
                }
            });
            assertArrayEquals(pattern(3, 1000), echoed.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    // Deadlines (issue 6). Durations are far apart (a deadline of half a second against a trickle
    // that needs several), so the outcomes do not depend on the machine's speed.

    private static final Duration LONG = Duration.ofSeconds(60);

    /** Reads units of {@code size} octets, declaring each complete, until the flow ends; reports how. */
    private static CompletableFuture<Throwable> unitReader(StackUnderTest b, TcpListener[] l, FlowDeadlines d, int size,
            StandardProtocolFamily family) throws IOException {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        l[0] = b.network().listenTcp(new InetSocketAddress(b.address(family), 0), flow -> {
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

    private static void assertMetric(StackUnderTest b, String name, long expected) {
        b.metric(name).ifPresent(v -> assertEquals(expected, v, name));
    }

    @Test
    void aTrickleCannotStretchTheUnitDeadline() throws Exception {
        try (StackUnderTest b = boot()) {
            TcpListener[] l = new TcpListener[1];
            CompletableFuture<Throwable> outcome =
                    unitReader(b, l, new FlowDeadlines(LONG, Duration.ofMillis(500), LONG), 64, anyFamily());
            try (SocketChannel c = b.connectPeerTcp(l[0].localAddress())) {
                // One octet every 100 ms: each read gets data, but the unit needs 6.4 s.
                for (int i = 0; i < 64 && !outcome.isDone(); i++) {
                    try {
                        c.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (IOException closedByServer) {
                        break;
                    }
                    Thread.sleep(100);
                }
                Throwable t = outcome.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(Deadline.UNIT, assertInstanceOf(FlowTimeoutException.class, t).deadline(), String.valueOf(t));
                assertMetric(b, StreamLimits.METRIC_TIMEOUT_PREFIX + "unit", 1);
            }
        }
    }

    @Test
    void theIdleDeadlineCountsOnlyBetweenUnits() throws Exception {
        try (StackUnderTest b = boot()) {
            TcpListener[] l = new TcpListener[1];
            // Idle 300 ms, unit 30 s: a unit that takes 1 s to arrive is not cut by the idle deadline.
            CompletableFuture<Throwable> outcome =
                    unitReader(b, l, new FlowDeadlines(Duration.ofMillis(300), Duration.ofSeconds(30), LONG), 5, anyFamily());
            try (SocketChannel c = b.connectPeerTcp(l[0].localAddress())) {
                for (int i = 0; i < 5; i++) {
                    c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    Thread.sleep(200);
                }
                // The unit is complete; now silence past the idle deadline.
                Throwable t = outcome.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(Deadline.IDLE, assertInstanceOf(FlowTimeoutException.class, t).deadline(), String.valueOf(t));
                assertMetric(b, StreamLimits.METRIC_TIMEOUT_PREFIX + "unit", 0);
                assertMetric(b, StreamLimits.METRIC_TIMEOUT_PREFIX + "idle", 1);
                assertEquals(-1, c.read(ByteBuffer.allocate(1)), "the flow was closed");
            }
        }
    }

    @Test
    void aPeerThatDoesNotReadIsClosedAtTheWriteDeadline() throws Exception {
        try (StackUnderTest b = boot()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicLong written = new AtomicLong();
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
                flow.deadlines(new FlowDeadlines(LONG, LONG, Duration.ofMillis(300)));
                try (PooledBuffer out = flow.acquireBuffer()) {
                    out.append(out.tailroom());
                    // Bounded: socket buffers hold a few MB, far below this.
                    for (int i = 0; i < 100_000; i++) {
                        flow.write(out);
                        written.addAndGet(out.length());
                    }
                    outcome.complete(null);
                } catch (IOException e) {
                    outcome.complete(e);
                }
            });
            try (SocketChannel c = b.connectPeerTcp(l.localAddress())) { // and never read
                Throwable t = outcome.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(Deadline.WRITE, assertInstanceOf(FlowTimeoutException.class, t).deadline(), String.valueOf(t));
                assertTrue(written.get() > 0);
                assertMetric(b, StreamLimits.METRIC_TIMEOUT_PREFIX + "write", 1);
            }
        }
    }

    /** The default {@code tcp.flow-buffers} share: a flow gets that many, then FlowLimitException. */
    @Test
    void aFlowHoldsAtMostItsShareOfStreamBuffers() throws Exception {
        try (StackUnderTest b = boot()) {
            int share = StreamLimits.FLOW_BUFFERS.defaultValue();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            TcpListener l = b.network().listenTcp(new InetSocketAddress(b.address(anyFamily()), 0), flow -> {
                List<PooledBuffer> held = new ArrayList<>();
                try {
                    for (int i = 0; i < share; i++) {
                        held.add(flow.acquireBuffer());
                    }
                    try {
                        flow.acquireBuffer().release();
                        outcome.complete(null);
                    } catch (IOException e) {
                        outcome.complete(e);
                    }
                } finally {
                    held.forEach(PooledBuffer::release);
                }
                flow.acquireBuffer().release(); // released: the share is back
            });
            try (SocketChannel c = b.connectPeerTcp(l.localAddress())) {
                assertInstanceOf(FlowLimitException.class, outcome.get(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
                assertMetric(b, StreamLimits.METRIC_BUFFER_CAP, 1);
                Wait.until("handler returned", () -> l.activeFlows() == 0);
            }
        }
    }
}
