package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.config.Config;
import atoll.libos.config.ConfigException;
import atoll.libos.runtime.StartupException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private final SocketTargetProvider provider = new SocketTargetProvider();

    @Test
    void defaults() throws Exception {
        assertEquals("socket", provider.name());
        Config c = Config.of(provider.configKeys(), Map.of());
        assertEquals(65_664, c.get(SocketTargetProvider.BUFFER_SIZE));
        assertEquals(1024, c.get(SocketTargetProvider.BUFFERS));
        assertEquals(128, c.get(SocketTargetProvider.HEADROOM));
        // The largest UDP payload, IPv4 or IPv6, fits after the default headroom.
        assertTrue(65_664 - 128 >= SocketTargetProvider.MAX_UDP_PAYLOAD);
    }

    @Test
    void bootUsesTheConfiguredPool() throws Exception {
        try (Booted b = new Booted(Map.of("socket.buffer-size", "2048", "socket.headroom", "64"))) {
            assertEquals(2048, b.pool().bufferSize());
            assertEquals(64, b.pool().headroom());
        }
    }

    @Test
    void localAddressesAreTheHostsInterfaceAddresses() throws Exception {
        try (Booted b = new Booted()) {
            // Every interface that is up, loopback included.
            assertTrue(b.net().localAddresses().contains(java.net.InetAddress.getByName("127.0.0.1")),
                    b.net().localAddresses().toString());
        }
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAccepted() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.of(provider.configKeys(), Map.of("socket.buffers", "0")));
        assertEquals("socket.buffers", e.key());
        assertTrue(e.getMessage().contains("an integer from 1 to"), e.getMessage());
        assertThrows(ConfigException.class, () -> Config.of(provider.configKeys(), Map.of("socket.headroom", "x")));
    }

    @Test
    void headroomMustLeaveRoomInTheBuffer() throws Exception {
        Config c = Config.of(provider.configKeys(), Map.of("socket.buffer-size", "1024", "socket.headroom", "1024"));
        StartupException e = assertThrows(StartupException.class, () -> provider.boot(c, new TestMetrics()));
        assertTrue(e.getMessage().contains("socket.headroom"), e.getMessage());
    }

    @Test
    void batchIsOffOrACountUpToTheKernelsCap() throws Exception {
        SocketTargetProvider provider = new SocketTargetProvider();
        assertEquals(32, Config.of(provider.configKeys(), Map.of()).get(SocketTargetProvider.BATCH));
        assertEquals(0, Config.of(provider.configKeys(), Map.of("socket.batch", "off")).get(SocketTargetProvider.BATCH));
        assertEquals(1024, Config.of(provider.configKeys(), Map.of("socket.batch", "1024")).get(SocketTargetProvider.BATCH));
        for (String bad : new String[] {"0", "1025", "on", ""}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> Config.of(provider.configKeys(), Map.of("socket.batch", bad)));
            assertEquals("socket.batch", e.key());
        }
    }

    @Test
    void eachLoopHasItsOwnPoolAndTheirSumIsSocketBuffers() throws Exception {
        try (Booted b = new Booted(Map.of("socket.loops", "3", "socket.buffers", "7"))) {
            assertEquals(3, b.net().loops());
            java.util.Set<atoll.libos.buffer.BufferPool> pools = java.util.Collections.newSetFromMap(
                    new java.util.IdentityHashMap<>());
            for (int i = 0; i < 3; i++) {
                pools.add(b.net().bufferPool(i));
            }
            assertEquals(3, pools.size(), "one pool per loop");
            assertSame(b.net().bufferPool(), b.net().bufferPool(0));
            // 7 shared out over 3 loops, rounded up: 3 each; the fourth acquire of a loop's pool fails.
            atoll.libos.buffer.BufferPool p = b.net().bufferPool(2);
            atoll.libos.buffer.PooledBuffer[] held = {p.acquire(), p.acquire(), p.acquire()};
            assertEquals(null, p.tryAcquire());
            assertEquals(3, b.metrics.value("socket.loop.2.buffers.out"));
            assertEquals(3, b.metrics.value("socket.buffers.out"));
            for (atoll.libos.buffer.PooledBuffer h : held) {
                h.release();
            }
        }
    }
}
