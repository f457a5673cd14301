package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowLimitException;
import atoll.libos.net.StreamLimits;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits on accepted TCP flows on the socket target: per source prefix, in total (closing the
 * longest-idle flow first), the listen backlog as the kernel reports it, and the stream pool kept
 * apart from the datagram pool (the per-flow share is in the testkit's TCP contract).
 */
@Timeout(120)
class FlowLimitsTest {

    /** A handler that waits for data (holding no buffer) until the peer or the stack ends the flow. */
    static TcpListener holding(Booted b, CountDownLatch accepted) throws IOException {
        return holding(b, accepted, new CountDownLatch(0));
    }

    /** As above; {@code reads} counts down once per read that got data (the flow is then inside a unit). */
    static TcpListener holding(Booted b, CountDownLatch accepted, CountDownLatch reads) throws IOException {
        return b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
            accepted.countDown();
            while (true) {
                flow.awaitReadable();
                try (PooledBuffer buf = flow.acquireBuffer()) {
                    if (flow.read(buf) < 0) {
                        return;
                    }
                }
                reads.countDown();
            }
        });
    }

    static SocketChannel connectFrom(String source, InetSocketAddress to) throws IOException {
        SocketChannel c = SocketChannel.open();
        c.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        c.connect(to);
        return c;
    }

    /**
     * True once the server has ended the connection (EOF or reset). The server never writes, so
     * the read returns only when it closes; if it never does, the class's timeout fails the test.
     */
    static boolean endedByServer(SocketChannel c) {
        try {
            return c.read(ByteBuffer.allocate(1)) < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void aPrefixPastItsLimitIsRefusedAndOthersAreNot() throws Exception {
        try (Booted b = new Booted(Map.of("tcp.max-flows-per-prefix", "2"))) {
            CountDownLatch accepted = new CountDownLatch(3);
            TcpListener l = holding(b, accepted);
            List<SocketChannel> open = new ArrayList<>();
            try {
                open.add(connectFrom("127.0.0.1", l.localAddress()));
                open.add(connectFrom("127.0.0.2", l.localAddress())); // same /24
                Booted.eventually("two flows admitted", () -> l.activeFlows() == 2);
                SocketChannel third = connectFrom("127.0.0.3", l.localAddress());
                open.add(third);
                assertTrue(endedByServer(third), "the third connection from 127.0.0.0/24 is closed");
                assertEquals(1, b.metrics.value(StreamLimits.METRIC_REFUSED_PREFIX));
                open.add(connectFrom("127.0.1.1", l.localAddress())); // another /24
                Booted.eventually("the other prefix is admitted", () -> l.activeFlows() == 3);
                assertEquals(3, b.metrics.snapshot().get(StreamLimits.METRIC_OPEN));
            } finally {
                for (SocketChannel c : open) {
                    c.close();
                }
            }
        }
    }

    @Test
    void pastTheTotalLimitTheLongestIdleFlowMakesRoom() throws Exception {
        try (Booted b = new Booted(Map.of("tcp.max-flows", "2"))) {
            CountDownLatch reads = new CountDownLatch(2);
            TcpListener l = holding(b, new CountDownLatch(0), reads);
            try (SocketChannel first = connectFrom("127.0.0.1", l.localAddress())) {
                Booted.eventually("first admitted", () -> l.activeFlows() == 1);
                // second opens after first was admitted: first has been idle longer
                try (SocketChannel second = connectFrom("127.0.1.1", l.localAddress())) {
                    Booted.eventually("second admitted", () -> l.activeFlows() == 2);
                    try (SocketChannel third = connectFrom("127.0.2.1", l.localAddress())) {
                        assertTrue(endedByServer(first), "the longest-idle flow was closed");
                        Booted.eventually("third admitted", () -> b.metrics.value(StreamLimits.METRIC_EVICTED_IDLE) == 1
                                && l.activeFlows() == 2);
                        // Neither remaining flow is idle once each is inside a unit: a fourth is refused.
                        second.write(ByteBuffer.wrap(new byte[] {1}));
                        third.write(ByteBuffer.wrap(new byte[] {1}));
                        Booted.await(reads); // each flow has read its octet: both are inside a unit
                        try (SocketChannel fourth = connectFrom("127.0.3.1", l.localAddress())) {
                            assertTrue(endedByServer(fourth), "no idle flow to replace: refused");
                            assertEquals(1, b.metrics.value(StreamLimits.METRIC_REFUSED_TOTAL));
                        }
                    }
                }
            }
        }
    }

    @Test
    void theBacklogIsWhatTheKernelReports() throws Exception {
        try (Booted b = new Booted(Map.of("tcp.backlog", "123"))) {
            TcpListener l = holding(b, new CountDownLatch(0));
            int port = l.localAddress().getPort();
            Process ss;
            try {
                ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("this test reads the listen backlog with 'ss': install the Debian package iproute2", e);
            }
            assertTrue(ss.waitFor(30, TimeUnit.SECONDS));
            String out = new String(ss.getInputStream().readAllBytes()).strip();
            // LISTEN  Recv-Q  Send-Q(=backlog)  local  peer
            String[] f = out.split("\\s+");
            assertEquals("123", f[2], out);
        }
    }

    /** Issue 6's root cause: TCP flows held the buffers UDP receives into. Now they cannot. */
    @Test
    void streamFlowsCannotTakeTheDatagramBuffers() throws Exception {
        try (Booted b = new Booted(Map.of("socket.tcp-buffers", "2", "socket.buffers", "4"))) {
            List<CompletableFuture<Throwable>> outcomes = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                    new CompletableFuture<>());
            CountDownLatch release = new CountDownLatch(1);
            int[] next = {0};
            TcpListener l = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
                CompletableFuture<Throwable> mine;
                synchronized (next) {
                    mine = outcomes.get(next[0]++);
                }
                try (PooledBuffer held = flow.acquireBuffer()) {
                    mine.complete(null);
                    release.await();
                } catch (IOException e) {
                    mine.complete(e);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            });
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0),
                    (endpoint, payload, source) -> endpoint.reply(payload, source));
            List<SocketChannel> clients = new ArrayList<>();
            try (DatagramChannel udp = DatagramChannel.open()) {
                for (int i = 0; i < 3; i++) {
                    clients.add(SocketChannel.open(l.localAddress()));
                    Throwable t = outcomes.get(i).get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    if (i < 2) {
                        assertEquals(null, t);
                    } else {
                        assertInstanceOf(FlowLimitException.class, t, "the stream pool is empty");
                    }
                }
                assertEquals(2, b.net().streamBufferPool().outstanding());
                assertEquals(1, b.metrics.value(StreamLimits.METRIC_BUFFER_EXHAUSTED));
                // UDP still has every one of its buffers.
                udp.connect(ep.localAddress());
                for (int i = 0; i < 10; i++) {
                    udp.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    ByteBuffer in = ByteBuffer.allocate(8);
                    udp.read(in);
                    assertArrayEquals(new byte[] {(byte) i}, java.util.Arrays.copyOf(in.array(), in.position()));
                }
            } finally {
                release.countDown();
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }
}
