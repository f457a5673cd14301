package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
