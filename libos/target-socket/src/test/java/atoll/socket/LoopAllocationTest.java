package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.net.UdpEndpoint;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receive path allocates nothing per datagram on the event loop for a repeating client:
 * pooled buffer, the JDK's cached sender address, a select callback that is a field. With many
 * clients at once, on the java.nio path ({@code socket.batch=off}) the JDK's decoding of each new
 * sender is the only allocation left; on the batched path (recvmmsg/sendmmsg, the default on
 * Linux) there is none: the sender goes from the kernel's sockaddr into the reused transport
 * address. Measured with the loop thread's allocation counter (HotSpot's per-thread TLAB
 * accounting), so this is an allocation assertion, not a timing one.
 */
@Timeout(300)
class LoopAllocationTest {
    /** Average bytes allocated on the loop per datagram that we tolerate (select bookkeeping). */
    private static final double BOUND_BYTES_PER_DATAGRAM = 16;
    private static final int WARM_UP = Integer.getInteger("warmup", 20_000);
    private static final int MEASURED = 20_000;
    private static final int WINDOW = 32;

    /** Average bytes per datagram the batched path may allocate on the loop with many clients. */
    private static final double BOUND_BATCHED = 1;

    @ParameterizedTest
    @ValueSource(strings = {"off", "32"})
    void receivingADatagramAllocatesNothingOnTheLoop(String batch) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Booted b = new Booted(Map.of("socket.batch", batch)); DatagramChannel c = DatagramChannel.open()) {
            assertEquals(batch.equals("off") ? 0 : 32, b.metrics.value("socket.udp.batch"), "the path asked for");
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            Semaphore credit = new Semaphore(WINDOW);
            AtomicLong received = new AtomicLong();
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, payload, source) -> {
                payload.release();
                received.incrementAndGet();
                credit.release();
            });
            long loopId = b.platform.loopThread().threadId();
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            send(c, ep, out, credit, WARM_UP);
            awaitAll(credit);
            long before = threads.getThreadAllocatedBytes(loopId);
            send(c, ep, out, credit, MEASURED);
            awaitAll(credit);
            long after = threads.getThreadAllocatedBytes(loopId);
            assertEquals(WARM_UP + MEASURED, received.get());
            double perDatagram = (after - before) / (double) MEASURED;
            double perPoolCycle = poolCycleAllocation(threads, b);
            System.out.printf("socket.batch=%s: event loop allocated %d bytes for %d datagrams: %.3f bytes/datagram;"
                    + " one BufferPool acquire+release alone allocates %.3f bytes%n",
                    batch, after - before, MEASURED, perDatagram, perPoolCycle);
            assertTrue(perPoolCycle < 1, "a pool acquire+release allocated " + perPoolCycle + " bytes");
            assertTrue(perDatagram < BOUND_BYTES_PER_DATAGRAM,
                    "event loop allocated " + perDatagram + " bytes per datagram, of which the pool "
                            + perPoolCycle);
        }
    }

    /**
     * Bytes one acquire+release of a pool buffer allocates on the calling thread (the pool's idle
     * list is an array stack, so this should be zero), reported apart from the loop's total.
     */
    private static double poolCycleAllocation(com.sun.management.ThreadMXBean threads, Booted b) {
        long id = Thread.currentThread().threadId();
        int n = 200_000;
        for (int i = 0; i < n; i++) { // warm up
            b.pool().tryAcquire().release();
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < n; i++) {
            b.pool().tryAcquire().release();
        }
        return (threads.getThreadAllocatedBytes(id) - before) / (double) n;
    }

    /** Distinct clients in the many-clients case: every datagram comes from another sender. */
    private static final int CLIENTS = 64;
    /** Bytes per datagram Atoll may add on the loop to what java.nio itself allocates. */
    private static final double BOUND_OVER_NIO = 16;

    /**
     * Many clients at once, each datagram answered with {@code reply}: the JDK decodes every new
     * sender into a fresh InetSocketAddress (java.nio offers no other way to learn it), and that
     * is all the loop may allocate. The JDK's own cost is measured first on a bare channel doing
     * the same receive-and-answer, then the loop's, and the two are compared.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void manyClientsAllocateNothingBeyondWhatNioItselfDoes(String host) throws Exception {
        manyClients(host, "off");
    }

    /**
     * The same on the batched path, where nothing may be allocated: the bound is
     * {@value #BOUND_BATCHED} byte per datagram, against java.nio's 120-190.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void manyClientsAllocateNothingOnTheBatchedPath(String host) throws Exception {
        manyClients(host, "32");
    }

    private void manyClients(String host, String batch) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        DatagramChannel[] clients = new DatagramChannel[CLIENTS];
        try (Booted b = new Booted(Map.of("socket.batch", batch))) {
            assertEquals(batch.equals("off") ? 0 : 32, b.metrics.value("socket.udp.batch"), "the path asked for");
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = DatagramChannel.open();
                clients[i].bind(new InetSocketAddress(host, 0));
            }
            double nio = bareNioBytesPerDatagram(threads, clients, host);

            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress(host, 0),
                    (e, payload, addresses) -> e.reply(payload, addresses));
            long loopId = b.platform.loopThread().threadId();
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            roundRobin(clients, ep.localAddress(), out, in, WARM_UP);
            long before = threads.getThreadAllocatedBytes(loopId);
            roundRobin(clients, ep.localAddress(), out, in, MEASURED);
            long after = threads.getThreadAllocatedBytes(loopId);
            b.loopBarrier();
            assertEquals(WARM_UP + MEASURED, b.metrics.value("socket.udp.tx"));
            double perDatagram = (after - before) / (double) MEASURED;
            System.out.printf("socket.batch=%s, %s, %d clients in turn, each datagram answered: event loop allocated"
                    + " %.3f bytes/datagram; java.nio alone (receive from a new sender + send) allocates %.1f bytes/datagram%n",
                    batch, host, CLIENTS, perDatagram, nio);
            if (batch.equals("off")) {
                assertTrue(perDatagram <= nio + BOUND_OVER_NIO, "event loop allocated " + perDatagram
                        + " bytes per datagram; java.nio alone " + nio);
            } else {
                assertTrue(perDatagram < BOUND_BATCHED, "batched event loop allocated " + perDatagram
                        + " bytes per datagram (java.nio alone: " + nio + ")");
            }
        } finally {
            for (DatagramChannel c : clients) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * What java.nio allocates to receive a datagram from a sender other than the previous one and
     * answer it, measured on this thread with a plain blocking channel.
     */
    private static double bareNioBytesPerDatagram(com.sun.management.ThreadMXBean threads, DatagramChannel[] clients,
            String host) throws Exception {
        try (DatagramChannel server = DatagramChannel.open()) {
            server.bind(new InetSocketAddress(host, 0));
            InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            ByteBuffer serverBuf = ByteBuffer.allocateDirect(64);
            long id = Thread.currentThread().threadId();
            long total = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up
                int n = round == 0 ? WARM_UP : MEASURED;
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < n; i++) {
                    DatagramChannel c = clients[i % clients.length];
                    out.clear().putInt(i).putLong(i).flip();
                    c.send(out, at);
                    serverBuf.clear();
                    java.net.SocketAddress from = server.receive(serverBuf);
                    serverBuf.flip();
                    server.send(serverBuf, from);
                    in.clear();
                    c.receive(in);
                }
                total = threads.getThreadAllocatedBytes(id) - before;
            }
            return total / (double) MEASURED;
        }
    }

    /** Each datagram from the next client in turn, which waits for its answer. */
    private static void roundRobin(DatagramChannel[] clients, InetSocketAddress to, ByteBuffer out, ByteBuffer in,
            int n) throws Exception {
        for (int i = 0; i < n; i++) {
            DatagramChannel c = clients[i % clients.length];
            out.clear().putInt(i).putLong(i).flip();
            c.send(out, to);
            in.clear();
            c.receive(in); // blocking; loopback loses nothing in lock-step (the test's timeout guards)
            in.flip();
            assertEquals(i, in.getInt(0), "answer to datagram " + i);
        }
    }

    private static void send(DatagramChannel c, UdpEndpoint ep, ByteBuffer out, Semaphore credit, int n)
            throws Exception {
        InetSocketAddress to = ep.localAddress();
        for (int i = 0; i < n; i++) {
            assertTrue(credit.tryAcquire(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS), "datagram lost");
            out.clear().putInt(i).putLong(i).flip();
            c.send(out, to);
        }
    }

    /** Every credit back: every datagram sent so far was handled. */
    private static void awaitAll(Semaphore credit) throws InterruptedException {
        assertTrue(credit.tryAcquire(WINDOW, Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS), "datagram lost");
        credit.release(WINDOW);
    }
}
