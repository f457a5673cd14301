package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import atoll.testkit.Targets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Type;

/**
 * What the appliance's whole UDP query path (receive, the prepared query path, send) allocates on
 * the event loop per query with many clients at once: the loop thread's allocated bytes
 * (HotSpot's per-thread counter) over {@value #MEASURED} queries from {@value #CLIENTS} client
 * sockets in turn, after as many for warm-up, on the socket target's batched path
 * (recvmmsg/sendmmsg) and on its java.nio path. An allocation bound, not a timing one.
 *
 * <p>On the batched path the target allocates nothing per datagram (libos/target-socket's
 * {@code LoopAllocationTest}); what is left is {@link UdpService}'s two {@code MemorySegment}
 * views per query (the query's window and the answer's room, which the engine keeps in its
 * {@code QueryView} and writer, so C2 cannot remove them): about 40 B each. The bound is
 * {@value #BOUND_BATCHED} B, which any per-datagram object of the target (an
 * {@code InetSocketAddress} and its holders are 120 B) would exceed. On the java.nio path the
 * JDK adds its decoded sender; the batched path must stay below it.
 */
@Timeout(300)
class SocketDnsAllocationTest {
    private static final int CLIENTS = 64;
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Bytes per query the loop may allocate on the batched path: two segment views and some slack. */
    private static final double BOUND_BATCHED = 96;
    /** The java.nio path's figure from the same JVM, once measured (the batched path must be below it). */
    private static double nioPerQuery = Double.NaN;

    @TempDir Path tmp;

    @ParameterizedTest(name = "socket.batch={0}")
    @ValueSource(strings = {"off", "32"})
    void answeringManyClientsAllocatesNothingPerQuery(String batch) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        DnsServer server = new DnsServer();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // One loop, so one thread answers every client.
        Running running = Launcher.start(server, "test", new String[] {"--listen=127.0.0.1", "--port=0",
                "--state.dir=" + tmp.resolve("state"), "--log.level=warning", "--socket.loops=1",
                "--socket.batch=" + batch}, Targets.named("socket"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertTrue(running.isRunning(), () -> "did not start: " + err);
        DatagramChannel[] clients = new DatagramChannel[CLIENTS];
        try {
            InetSocketAddress at = server.udpAddresses().getFirst();
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = DatagramChannel.open();
                clients[i].bind(new InetSocketAddress("127.0.0.1", 0));
            }
            byte[] query = DnsServerTest.query("www.example.com.", Type.A).toWire();
            ByteBuffer out = ByteBuffer.allocateDirect(512);
            ByteBuffer in = ByteBuffer.allocateDirect(512);
            roundRobin(clients, at, query, out, in, WARM_UP);
            long loop = loopThreadId();
            long before = threads.getThreadAllocatedBytes(loop);
            roundRobin(clients, at, query, out, in, MEASURED);
            long after = threads.getThreadAllocatedBytes(loop);
            double perQuery = (after - before) / (double) MEASURED;
            System.out.printf("dns-server, socket.batch=%s, %d clients in turn: event loop allocated %.3f bytes/query"
                    + " over %d queries%n", batch, CLIENTS, perQuery, MEASURED);
            if (batch.equals("off")) {
                nioPerQuery = perQuery;
            } else {
                assertTrue(perQuery < BOUND_BATCHED, "the event loop allocated " + perQuery + " bytes per query");
                if (!Double.isNaN(nioPerQuery)) {
                    assertTrue(perQuery < nioPerQuery, perQuery + " bytes per query batched, " + nioPerQuery
                            + " on java.nio");
                }
            }
        } finally {
            for (DatagramChannel c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            var net = running.devices().network();
            List<atoll.libos.buffer.BufferPool> pools = new java.util.ArrayList<>();
            for (int i = 0; i < net.loops(); i++) {
                pools.add(net.bufferPool(i));
            }
            assertEquals(0, running.stop(), () -> "clean stop: " + err);
            pools.forEach(atoll.libos.buffer.BufferPool::assertNoLeaks);
        }
    }

    /** The socket target's one UDP loop thread (socket.loops=1). */
    private static long loopThreadId() {
        List<Thread> loops = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("atoll-loop")).toList();
        assertEquals(1, loops.size(), "event loop threads: " + loops);
        return loops.getFirst().threadId();
    }

    /** Each query from the next client in turn, which waits for its answer (NOERROR, same ID). */
    private static void roundRobin(DatagramChannel[] clients, InetSocketAddress to, byte[] query, ByteBuffer out,
            ByteBuffer in, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            DatagramChannel c = clients[i % clients.length];
            out.clear().put(query).putShort(0, (short) i).flip();
            c.send(out, to);
            in.clear();
            c.receive(in); // blocking; loopback loses nothing in lock-step (the test's timeout guards)
            assertEquals((short) i, in.getShort(0), "ID of answer " + i);
            assertEquals(0, in.get(3) & 0x0F, "RCODE of answer " + i);
        }
    }
}
