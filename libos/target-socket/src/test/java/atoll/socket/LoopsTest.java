package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.config.Config;
import atoll.libos.config.ConfigException;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.UdpEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code socket.loops}: a UDP endpoint bound per loop has an SO_REUSEPORT socket on each loop,
 * each loop runs only its own handler, and the kernel spreads clients over the loops.
 */
@Timeout(120)
class LoopsTest {
    /** Distinct client sockets: the kernel hashes each to one loop; all 64 on one of 2 loops is 2^-63. */
    static final int CLIENTS = 64;

    @Test
    void eachLoopRunsItsOwnHandlerAndClientsAreSpreadOverTheLoops() throws Exception {
        int loops = 2;
        try (Booted b = new Booted(Map.of("socket.loops", Integer.toString(loops)))) {
            assertEquals(loops, b.net().loops());
            // handler index -> the threads it ran on, and how many datagrams it saw
            Map<Integer, Set<Thread>> threads = new ConcurrentHashMap<>();
            Map<Integer, Integer> counts = new ConcurrentHashMap<>();
            List<Integer> created = new ArrayList<>();
            UdpEndpoint ep = b.net().bindUdpPerLoop(new InetSocketAddress("127.0.0.1", 0), i -> {
                created.add(i);
                DatagramHandler h = (endpoint, payload, addresses) -> {
                    threads.computeIfAbsent(i, k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread());
                    counts.merge(i, 1, Integer::sum);
                    endpoint.reply(payload, addresses);
                };
                return h;
            });
            assertEquals(List.of(0, 1), created);
            ByteBuffer in = ByteBuffer.allocate(64);
            List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    DatagramChannel ch = DatagramChannel.open();
                    clients.add(ch);
                    ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    byte[] m = {(byte) c, 1, 2, 3};
                    ch.send(ByteBuffer.wrap(m), ep.localAddress());
                    in.clear();
                    ch.receive(in); // blocking: the echo, from the address asked
                    in.flip();
                    byte[] got = new byte[in.remaining()];
                    in.get(got);
                    assertArrayEquals(m, got);
                }
            } finally {
                for (DatagramChannel ch : clients) {
                    ch.close();
                }
            }
            assertEquals(Set.of(0, 1), counts.keySet(), "datagrams reached " + counts);
            assertEquals(CLIENTS, counts.values().stream().mapToInt(Integer::intValue).sum());
            assertEquals(1, threads.get(0).size());
            assertEquals(1, threads.get(1).size());
            assertNotEquals(threads.get(0), threads.get(1), "each handler runs on its own loop");
            ep.close();
        }
    }

    @Test
    void oneLoopBindsOneHandler() throws Exception {
        try (Booted b = new Booted(Map.of("socket.loops", "1"))) {
            List<Integer> created = new ArrayList<>();
            UdpEndpoint ep = b.net().bindUdpPerLoop(new InetSocketAddress("127.0.0.1", 0), i -> {
                created.add(i);
                return (endpoint, payload, addresses) -> payload.release();
            });
            assertEquals(List.of(0), created);
            assertTrue(ep.localAddress().getPort() > 0);
            ep.close();
        }
    }

    @Test
    void loopsOutOfRangeIsAConfigurationError() {
        SocketTargetProvider provider = new SocketTargetProvider();
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.of(provider.configKeys(), Map.of("socket.loops", "0")));
        assertEquals("socket.loops", e.key());
    }
}
