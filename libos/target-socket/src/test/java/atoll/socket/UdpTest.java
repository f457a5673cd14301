package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.UdpEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The socket target's own UDP behaviour: its counters, its event loop thread, its pool and queue
 * limits, the JDK's address caching. What every target must do is in the testkit's
 * {@code UdpContractTest}, run here by {@link SocketUdpContractTest}.
 */
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

    @Test
    void countsDatagramsReceivedAndSentAndHandlesThemOnTheLoopThread() throws Exception {
        int n = 50;
        try (Booted b = new Booted(); DatagramChannel c = client("127.0.0.1")) {
            List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (endpoint, payload, addresses) -> {
                threads.add(Thread.currentThread());
                endpoint.reply(payload, addresses);
            });
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                byte[] m = message(i, 10);
                c.send(ByteBuffer.wrap(m), ep.localAddress());
                assertArrayEquals(m, receive(c, in));
            }
            b.loopBarrier();
            assertEquals(n, b.metrics.value("socket.udp.rx"));
            assertEquals(n, b.metrics.value("socket.udp.tx"));
            assertEquals(java.util.Set.of(b.platform.loopThread()), java.util.Set.copyOf(threads));
            assertEquals(EventLoop.THREAD_NAME, threads.getFirst().getName());
        }
    }

    @Test
    void exhaustedPoolDropsAndCountsDatagrams() throws Exception {
        // One loop, so its pool is all of socket.buffers.
        try (Booted b = new Booted(Map.of("socket.buffers", "2", "socket.loops", "1"));
                DatagramChannel c = client("127.0.0.1")) {
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
        try (Booted b = new Booted(Map.of("socket.buffers", "2048", "socket.loops", "1"));
                DatagramChannel c = client("127.0.0.1")) {
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
    void aRepeatingSenderReachesTheHandlerAsTheJdksCachedAddress() throws Exception {
        // The java.nio path: the batched one makes no InetSocketAddress at all.
        try (Booted b = new Booted(Map.of("socket.batch", "off")); DatagramChannel c = client("127.0.0.1")) {
            ConcurrentLinkedQueue<InetSocketAddress> sources = new ConcurrentLinkedQueue<>();
            CountDownLatch two = new CountDownLatch(2);
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, a) -> {
                sources.add(a.source().toInetSocketAddress());
                p.release();
                two.countDown();
            });
            c.send(ByteBuffer.wrap(new byte[] {1}), ep.localAddress());
            c.send(ByteBuffer.wrap(new byte[] {2}), ep.localAddress());
            Booted.await(two);
            // The JDK hands back the same object while the sender repeats, and the source keeps
            // that reference: nothing allocated for a repeating client.
            assertSame(sources.poll(), sources.poll());
        }
    }

    @Test
    void droppedSendsAreCounted() throws Exception {
        try (Booted b = new Booted()) {
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, s) -> p.release());
            DatagramAddresses elsewhere = new DatagramAddresses();
            elsewhere.source().set(new InetSocketAddress("127.0.0.1", 9));
            elsewhere.destination().setIpv4(0x7F000001, ep.localAddress().getPort() + 1 & 0xFFFF);
            PooledBuffer p = b.pool().acquire();
            p.putU8(1);
            assertThrows(IllegalArgumentException.class, () -> ep.reply(p, elsewhere));
            ep.close();
            PooledBuffer q = b.pool().acquire();
            q.putU8(1);
            ep.send(q, new InetSocketAddress("127.0.0.1", 9));
            assertEquals(2, b.metrics.value("socket.udp.tx.dropped"));
        }
    }
}
