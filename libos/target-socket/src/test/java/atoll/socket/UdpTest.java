package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.TransportAddress;
import atoll.libos.net.UdpEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(120)
class UdpTest {

    private static DatagramChannel client(String host) throws Exception {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        return c;
    }

    private static byte[] message(int i, int length) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    private static byte[] receive(DatagramChannel c, ByteBuffer into) throws Exception {
        into.clear();
        c.receive(into);
        into.flip();
        byte[] out = new byte[into.remaining()];
        into.get(out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void echoesDatagramsBackToTheSender(String host) throws Exception {
        int n = 300;
        try (Booted b = new Booted(); DatagramChannel c = client(host)) {
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress(InetAddress.getByName(host), 0),
                    (endpoint, payload, addresses) -> endpoint.reply(payload, addresses));
            assertTrue(ep.localAddress().getPort() != 0, "port 0 resolved to the bound port");
            ByteBuffer in = ByteBuffer.allocate(70_000);
            for (int i = 0; i < n; i++) {
                byte[] m = message(i, 1 + (i * 97) % 1400);
                c.send(ByteBuffer.wrap(m), ep.localAddress());
                assertArrayEquals(m, receive(c, in), "echo of datagram " + i);
            }
            // The largest IPv4 UDP payload (RFC 791, RFC 768: 65535 - 20 - 8) fits a default buffer.
            byte[] big = message(7, 65_507);
            c.send(ByteBuffer.wrap(big), ep.localAddress());
            assertArrayEquals(big, receive(c, in));
            b.loopBarrier();
            assertEquals(n + 1, b.metrics.value("socket.udp.rx"));
            assertEquals(n + 1, b.metrics.value("socket.udp.tx"));
            b.platform.shutdown(java.time.Duration.ofSeconds(1));
            assertEquals(0, b.pool().outstanding());
        }
    }

    @Test
    void handlerRunsOnTheLoopThreadInArrivalOrder() throws Exception {
        int n = 2000;
        int window = 32; // bounds what sits in the socket's receive queue, so the kernel drops none
        try (Booted b = new Booted(); DatagramChannel c = client("127.0.0.1")) {
            Semaphore credit = new Semaphore(window);
            List<Integer> seen = new ArrayList<>(); // touched only on the loop thread until done
            List<Thread> threads = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (endpoint, payload, addresses) -> {
                if (threads.isEmpty() || threads.getLast() != Thread.currentThread()) {
                    threads.add(Thread.currentThread());
                }
                seen.add(payload.getI32(0));
                payload.release();
                credit.release();
                if (seen.size() == n) {
                    done.countDown();
                }
            });
            ByteBuffer out = ByteBuffer.allocate(4);
            for (int i = 0; i < n; i++) {
                assertTrue(credit.tryAcquire(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                out.clear().putInt(i).flip();
                c.send(out, ep.localAddress());
            }
            Booted.await(done);
            assertEquals(List.of(b.platform.loopThread()), threads);
            assertEquals(EventLoop.THREAD_NAME, threads.getFirst().getName());
            for (int i = 0; i < n; i++) {
                assertEquals(i, seen.get(i), "datagram order");
            }
        }
    }

    @Test
    void sendFromAnotherThreadIsQueuedAndSentByTheLoop() throws Exception {
        int n = 200;
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (Booted b = new Booted(); DatagramChannel c = client("::1")) {
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("::1", 0),
                    (endpoint, payload, addresses) -> {
                        DatagramAddresses kept = addresses.copy(); // the loop reuses its instance
                        worker.execute(() -> endpoint.reply(payload, kept));
                    });
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                byte[] m = message(i, 100);
                c.send(ByteBuffer.wrap(m), ep.localAddress());
                assertArrayEquals(m, receive(c, in));
            }
            // A reply built from a fresh pool buffer, sent from the test thread.
            PooledBuffer reply = b.pool().acquire();
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            reply.put(hello, 0, hello.length);
            ep.send(reply, (InetSocketAddress) c.getLocalAddress());
            assertArrayEquals(hello, receive(c, in));
            b.loopBarrier();
            assertEquals(n + 1, b.metrics.value("socket.udp.tx"));
        } finally {
            worker.shutdown();
        }
    }

    @Test
    void exhaustedPoolDropsAndCountsDatagrams() throws Exception {
        try (Booted b = new Booted(Map.of("socket.buffers", "2")); DatagramChannel c = client("127.0.0.1")) {
            ConcurrentLinkedQueue<PooledBuffer> held = new ConcurrentLinkedQueue<>();
            CountDownLatch twoHeld = new CountDownLatch(2);
            CountDownLatch last = new CountDownLatch(1);
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (endpoint, payload, addresses) -> {
                if (payload.getU8(0) == 0xFF) {
                    payload.release();
                    last.countDown();
                } else {
                    held.add(payload); // keeps it out of the pool
                    twoHeld.countDown();
                }
            });
            for (int i = 0; i < 2; i++) {
                c.send(ByteBuffer.wrap(new byte[] {(byte) i}), ep.localAddress());
            }
            Booted.await(twoHeld);
            for (int i = 2; i < 5; i++) {
                c.send(ByteBuffer.wrap(new byte[] {(byte) i}), ep.localAddress());
            }
            b.loopBarrier();
            assertEquals(2, b.metrics.value("socket.udp.rx"));
            assertEquals(3, b.metrics.value("socket.udp.rx.pool-exhausted"));
            assertEquals(2, held.size());
            // Buffers back: reception resumes.
            CountDownLatch released = new CountDownLatch(1);
            b.platform.clock().schedule(java.time.Duration.ZERO, () -> {
                held.forEach(PooledBuffer::release);
                held.clear();
                released.countDown();
            });
            Booted.await(released);
            c.send(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), ep.localAddress());
            Booted.await(last);
            assertEquals(3, b.metrics.value("socket.udp.rx"));
        }
    }

    @Test
    void fullSendQueueDropsAndCounts() throws Exception {
        int extra = 5;
        try (Booted b = new Booted(Map.of("socket.buffers", "2048")); DatagramChannel c = client("127.0.0.1")) {
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, s) -> p.release());
            CountDownLatch loopHeld = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            // Hold the loop so it cannot flush while the queue fills.
            b.platform.clock().schedule(java.time.Duration.ZERO, () -> {
                loopHeld.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Booted.await(loopHeld);
            InetSocketAddress to = (InetSocketAddress) c.getLocalAddress();
            for (int i = 0; i < SocketUdpEndpoint.TX_QUEUE + extra; i++) {
                PooledBuffer p = b.pool().acquire();
                p.putI32(i);
                ep.send(p, to);
            }
            assertEquals(extra, b.metrics.value("socket.udp.tx.dropped"));
            letGo.countDown();
            // Sent as far as the kernel is concerned (the client's receive queue may drop some);
            // the flush may wait for write readiness, so there is no single event to wait on.
            Booted.eventually("the queue is flushed",
                    () -> b.metrics.value("socket.udp.tx") == SocketUdpEndpoint.TX_QUEUE);
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(0, ByteBuffer.wrap(receive(c, in)).getInt(), "queued datagrams go out in order");
        }
    }

    @Test
    void closedEndpointDropsSendsAndReleasesThem() throws Exception {
        try (Booted b = new Booted()) {
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, s) -> p.release());
            ep.close();
            ep.close(); // idempotent
            PooledBuffer p = b.pool().acquire();
            p.putU8(1);
            ep.send(p, new InetSocketAddress("127.0.0.1", 9));
            assertTrue(!p.isLive(), "send released the payload");
            assertEquals(1, b.metrics.value("socket.udp.tx.dropped"));
        }
    }

    @Test
    void aThrowingHandlerDoesNotStopTheLoop() throws Exception {
        try (Booted b = new Booted(); DatagramChannel c = client("127.0.0.1")) {
            CountDownLatch second = new CountDownLatch(1);
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, s) -> {
                int first = p.getU8(0);
                p.release(); // the handler owns the buffer even when it throws
                if (first == 1) {
                    throw new IllegalStateException("handler bug");
                }
                second.countDown();
            });
            c.send(ByteBuffer.wrap(new byte[] {1}), ep.localAddress());
            c.send(ByteBuffer.wrap(new byte[] {2}), ep.localAddress());
            Booted.await(second);
        }
    }

    @Test
    void sourceIsTheSenderAndDestinationTheBoundAddress() throws Exception {
        try (Booted b = new Booted(); DatagramChannel c = client("127.0.0.1")) {
            ConcurrentLinkedQueue<DatagramAddresses> seen = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<InetSocketAddress> sources = new ConcurrentLinkedQueue<>();
            CountDownLatch two = new CountDownLatch(2);
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, a) -> {
                seen.add(a.copy());
                sources.add(a.source().toInetSocketAddress());
                p.release();
                two.countDown();
            });
            c.send(ByteBuffer.wrap(new byte[] {1}), ep.localAddress());
            c.send(ByteBuffer.wrap(new byte[] {2}), ep.localAddress());
            Booted.await(two);
            for (DatagramAddresses a : seen) {
                assertEquals(c.getLocalAddress(), a.source().toInetSocketAddress());
                assertEquals(TransportAddress.of((InetSocketAddress) c.getLocalAddress()), a.source());
                assertEquals(ep.localAddress(), a.destination().toInetSocketAddress());
            }
            // The JDK hands back the same object while the sender repeats, and the source keeps
            // that reference: nothing allocated for a repeating client.
            assertSame(sources.poll(), sources.poll());
        }
    }

    @Test
    void replyFromAnAddressTheEndpointDoesNotHaveIsRefusedAndReleased() throws Exception {
        try (Booted b = new Booted()) {
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, s) -> p.release());
            DatagramAddresses elsewhere = new DatagramAddresses();
            elsewhere.source().set(new InetSocketAddress("127.0.0.1", 9));
            elsewhere.destination().setIpv4(0x7F000001, ep.localAddress().getPort() + 1 & 0xFFFF);
            PooledBuffer p = b.pool().acquire();
            p.putU8(1);
            assertThrows(IllegalArgumentException.class, () -> ep.reply(p, elsewhere));
            assertFalse(p.isLive(), "reply released the payload");
            assertEquals(1, b.metrics.value("socket.udp.tx.dropped"));
        }
    }
}
