package atoll.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.TransportAddress;
import atoll.libos.net.UdpEndpoint;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every target's UDP must do, through the {@code NetworkStack} interface only, against host
 * sockets as peers. A target runs these with a subclass whose only job is {@link #boot()}
 * (Netty's testsuite shape); checks of one target's internals (its counters, queues, threads)
 * stay beside that target.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class UdpContractTest {

    /** Boots a fresh instance of the target for one test. */
    protected abstract StackUnderTest boot() throws Exception;

    /** The address families the target supports (both by default). */
    protected Stream<StandardProtocolFamily> families() {
        return Stream.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6);
    }

    private static byte[] message(int i, int length) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    /** Receives one datagram (blocking) and returns its bytes; {@code from[0]} gets the sender. */
    private static byte[] receive(DatagramChannel c, ByteBuffer into, SocketAddress[] from) throws Exception {
        into.clear();
        SocketAddress sender = c.receive(into);
        if (from != null) {
            from[0] = sender;
        }
        into.flip();
        byte[] out = new byte[into.remaining()];
        into.get(out);
        return out;
    }

    private static InetSocketAddress local(DatagramChannel c) throws Exception {
        return (InetSocketAddress) c.getLocalAddress();
    }

    @ParameterizedTest
    @MethodSource("families")
    void echoesDatagramsBackFromTheAddressAsked(StandardProtocolFamily family) throws Exception {
        int n = 300;
        try (StackUnderTest s = boot(); DatagramChannel c = s.openPeerUdp(family)) {
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0),
                    (endpoint, payload, addresses) -> endpoint.reply(payload, addresses));
            assertTrue(ep.localAddress().getPort() != 0, "port 0 resolved to the bound port");
            ByteBuffer in = ByteBuffer.allocate(70_000);
            SocketAddress[] from = new SocketAddress[1];
            for (int i = 0; i < n; i++) {
                byte[] m = message(i, 1 + (i * 97) % 1400);
                c.send(ByteBuffer.wrap(m), ep.localAddress());
                assertArrayEquals(m, receive(c, in, from), "echo of datagram " + i);
                assertEquals(ep.localAddress(), from[0], "the answer comes from the address asked");
            }
            // The largest IPv4 UDP payload (RFC 791, RFC 768: 65535 - 20 - 8) fits a default buffer.
            byte[] big = message(7, 65_507);
            c.send(ByteBuffer.wrap(big), ep.localAddress());
            assertArrayEquals(big, receive(c, in, null));
        }
    }

    @Test
    void handlerRunsOnOneThreadInArrivalOrder() throws Exception {
        int n = 2000;
        int window = 32; // bounds what sits in the receive queue, so nothing is dropped
        StandardProtocolFamily family = families().findFirst().orElseThrow();
        try (StackUnderTest s = boot(); DatagramChannel c = s.openPeerUdp(family)) {
            Semaphore credit = new Semaphore(window);
            List<Integer> seen = new ArrayList<>(); // touched only on the handler's thread until done
            List<Thread> threads = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0),
                    (endpoint, payload, addresses) -> {
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
                assertTrue(credit.tryAcquire(Wait.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
                out.clear().putInt(i).flip();
                c.send(out, ep.localAddress());
            }
            Wait.await(done);
            assertEquals(1, threads.size(), "every datagram handled on the one event loop thread");
            for (int i = 0; i < n; i++) {
                assertEquals(i, seen.get(i), "datagram order");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void aCopyOfTheAddressesRepliesFromAnotherThread(StandardProtocolFamily family) throws Exception {
        int n = 200;
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (StackUnderTest s = boot(); DatagramChannel c = s.openPeerUdp(family)) {
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0),
                    (endpoint, payload, addresses) -> {
                        DatagramAddresses kept = addresses.copy(); // the stack reuses its instance
                        worker.execute(() -> endpoint.reply(payload, kept));
                    });
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                byte[] m = message(i, 100);
                c.send(ByteBuffer.wrap(m), ep.localAddress());
                assertArrayEquals(m, receive(c, in, null));
            }
            // A datagram built from a fresh pool buffer, sent from the test thread.
            PooledBuffer hello = s.pool().acquire();
            byte[] bytes = "hello".getBytes(StandardCharsets.US_ASCII);
            hello.put(bytes, 0, bytes.length);
            ep.send(hello, TransportAddress.of(local(c)));
            assertArrayEquals(bytes, receive(c, in, null));
        } finally {
            worker.shutdown();
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void sourceIsTheSenderAndDestinationTheAddressAsked(StandardProtocolFamily family) throws Exception {
        try (StackUnderTest s = boot(); DatagramChannel c = s.openPeerUdp(family)) {
            ConcurrentLinkedQueue<DatagramAddresses> seen = new ConcurrentLinkedQueue<>();
            CountDownLatch two = new CountDownLatch(2);
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0), (e, p, a) -> {
                seen.add(a.copy());
                p.release();
                two.countDown();
            });
            c.send(ByteBuffer.wrap(new byte[] {1}), ep.localAddress());
            c.send(ByteBuffer.wrap(new byte[] {2}), ep.localAddress());
            Wait.await(two);
            assertEquals(2, seen.size());
            for (DatagramAddresses a : seen) {
                assertEquals(local(c), a.source().toInetSocketAddress());
                assertEquals(TransportAddress.of(local(c)), a.source());
                assertEquals(TransportAddress.of(ep.localAddress()), a.destination());
            }
        }
    }

    @Test
    void closedEndpointDropsSendsAndReleasesThem() throws Exception {
        StandardProtocolFamily family = families().findFirst().orElseThrow();
        try (StackUnderTest s = boot()) {
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0), (e, p, a) -> p.release());
            InetSocketAddress somewhere = new InetSocketAddress(s.address(family), 9);
            ep.close();
            ep.close(); // idempotent
            PooledBuffer p = s.pool().acquire();
            p.putU8(1);
            ep.send(p, somewhere);
            assertFalse(p.isLive(), "send released the payload");
        }
    }

    @Test
    void aReplyFromAnAddressTheEndpointDoesNotHaveIsRefusedAndReleased() throws Exception {
        StandardProtocolFamily family = families().findFirst().orElseThrow();
        try (StackUnderTest s = boot()) {
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0), (e, p, a) -> p.release());
            DatagramAddresses elsewhere = new DatagramAddresses();
            elsewhere.source().set(new InetSocketAddress(s.address(family), 9));
            elsewhere.destination().set(new InetSocketAddress(s.address(family), ep.localAddress().getPort() + 1 & 0xFFFF));
            PooledBuffer p = s.pool().acquire();
            p.putU8(1);
            assertThrows(IllegalArgumentException.class, () -> ep.reply(p, elsewhere));
            assertFalse(p.isLive(), "reply released the payload");
        }
    }

    @Test
    void aThrowingHandlerDoesNotStopTheStack() throws Exception {
        StandardProtocolFamily family = families().findFirst().orElseThrow();
        try (StackUnderTest s = boot(); DatagramChannel c = s.openPeerUdp(family)) {
            CountDownLatch second = new CountDownLatch(1);
            UdpEndpoint ep = s.network().bindUdp(new InetSocketAddress(s.address(family), 0), (e, p, a) -> {
                int first = p.getU8(0);
                p.release(); // the handler owns the buffer even when it throws
                if (first == 1) {
                    throw new IllegalStateException("handler bug");
                }
                second.countDown();
            });
            c.send(ByteBuffer.wrap(new byte[] {1}), ep.localAddress());
            c.send(ByteBuffer.wrap(new byte[] {2}), ep.localAddress());
            Wait.await(second);
        }
    }
}
