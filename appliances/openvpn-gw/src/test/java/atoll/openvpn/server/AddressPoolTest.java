package atoll.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.libos.store.DirectoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPoolTest {
    @TempDir Path tmp;

    static String address(AddressPool.Lease l) {
        return assertInstanceOf(AddressPool.Leased.class, l).address().getHostAddress();
    }

    @Test
    void serverTakesTheFirstHostAndClientsKeepTheirAddressByName() {
        AddressPool p = AddressPool.of("198.51.100.0/29", new byte[0]);
        assertEquals("198.51.100.1", p.serverAddress().getHostAddress());
        assertEquals("255.255.255.248", p.netmask().getHostAddress());
        assertEquals("198.51.100.2", address(p.lease("alice")));
        assertEquals("198.51.100.3", address(p.lease("bob")));
        assertEquals("198.51.100.2", address(p.lease("alice")));
        assertEquals(false, ((AddressPool.Leased) p.lease("alice")).fresh());
        for (String n : new String[] {"c", "d", "e"}) {
            p.lease(n); // .4 .5 .6; .7 is the broadcast address
        }
        assertInstanceOf(AddressPool.Exhausted.class, p.lease("f"));
    }

    @Test
    void leasesSurviveARestartThroughTheReadWriteStore() throws Exception {
        var store = DirectoryStore.open(tmp);
        AddressPool p = AddressPool.of("192.0.2.0/24", new byte[0]);
        p.lease("alice");
        p.lease("bob");
        p.lease("carol");
        store.write("ifconfig-pool", p.persisted());
        var again = AddressPool.of("192.0.2.0/24", DirectoryStore.open(tmp).read("ifconfig-pool"));
        assertEquals("192.0.2.3", address(again.lease("bob")));
        assertEquals("192.0.2.5", address(again.lease("dave")), "the next free one, not a reused one");
        assertEquals("alice 192.0.2.2\nbob 192.0.2.3\ncarol 192.0.2.4\ndave 192.0.2.5\n",
                new String(again.persisted(), StandardCharsets.UTF_8));
    }

    @Test
    void damagedPersistedLinesCostOnlyThemselves() {
        byte[] damaged = "alice 192.0.2.2\nnonsense\nbob 10.0.0.9\ncarol 192.0.2.2\nalice 192.0.2.9\ndan 192.0.2.300\nerin 192.0.2.7\n"
                .getBytes(StandardCharsets.UTF_8);
        AddressPool p = AddressPool.of("192.0.2.0/24", damaged);
        assertEquals("alice 192.0.2.2\nerin 192.0.2.7\n", new String(p.persisted(), StandardCharsets.UTF_8));
    }

    @Test
    void badSubnetsSayWhy() {
        assertEquals("host bits set in 192.0.2.1/24",
                assertThrows(IllegalArgumentException.class, () -> AddressPool.of("192.0.2.1/24", new byte[0])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressPool.of("192.0.2.0/30", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AddressPool.of("192.0.2.0", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AddressPool.of("192.0.2/24", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AddressPool.of("192.0.2.0/x", new byte[0]));
    }
}
