package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.icmp.RateLimiter;
import atoll.stack.ip.IpConfig;
import atoll.stack.ip.PathMtuTable;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigAndTablesTest {
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");

    @Test
    void staticConfigurationParses() {
        IpConfig c = IpConfig.parse(MAC, "192.0.2.2/24", "192.0.2.1", 1500);
        assertEquals(Ipv4Address.parse("192.0.2.2"), c.address());
        assertEquals(24, c.prefixLength());
        assertEquals(Optional.of(Ipv4Address.parse("192.0.2.1")), c.gateway());
        assertTrue(c.onLink(Ipv4Address.parse("192.0.2.200").bits()));
        assertFalse(c.onLink(Ipv4Address.parse("198.51.100.1").bits()));
        assertEquals(Ipv4Address.parse("192.0.2.255").bits(), c.subnetBroadcast());
        assertTrue(c.isBroadcast(-1));
        assertEquals(Optional.empty(), IpConfig.parse(MAC, "203.0.113.5/32", "", 1500).gateway());
        assertEquals(-1, IpConfig.parse(MAC, "203.0.113.5/32", null, 1500).subnetBroadcast());
    }

    @Test
    void badConfigurationIsRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> IpConfig.parse(MAC, "192.0.2.2", null, 1500));
        assertThrows(IllegalArgumentException.class, () -> IpConfig.parse(MAC, "192.0.2.2/33", null, 1500));
        assertThrows(IllegalArgumentException.class, () -> IpConfig.parse(MAC, "192.0.2.2/x", null, 1500));
        assertThrows(IllegalArgumentException.class, () -> IpConfig.parse(MAC, "192.0.2.300/24", null, 1500));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IpConfig.parse(MAC, "192.0.2.2/24", "198.51.100.1", 1500));
        assertTrue(e.getMessage().contains("198.51.100.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpConfig.parse(MAC, "192.0.2.2/24", null, 67));
        assertThrows(IllegalArgumentException.class,
                () -> IpConfig.parse(MacAddress.BROADCAST, "192.0.2.2/24", null, 1500));
    }

    @Test
    void pathMtuUsesPlateausForOldRoutersAndNeverGoesBelow68() {
        PathMtuTable t = new PathMtuTable(1500, 2, Duration.ofMinutes(10).toNanos());
        int d = 0xc6336401;
        // RFC 1191 §5: no next-hop MTU in the message: the plateau below the datagram's length.
        assertEquals(1492, t.learn(d, 0, 1500, 0));
        assertEquals(1006, t.learn(d, 0, 1492, 0));
        assertEquals(1006, t.learn(d, 1200, 1006, 0), "a report never raises the estimate");
        assertEquals(68, t.learn(d, 20, 1006, 0), "RFC 1191 §3: never below 68");
        assertEquals(68, t.mtu(d, 0));
        // Bounded: a third destination evicts the oldest.
        t.learn(2, 1000, 1500, 1);
        t.learn(3, 1000, 1500, 2);
        assertEquals(2, t.size());
        assertEquals(1500, t.mtu(d, 3));
    }

    @Test
    void rateLimiterRefillsWithInjectedTime() {
        RateLimiter r = new RateLimiter(10, 3);
        long t = 5_000_000_000L;
        assertTrue(r.tryAcquire(t));
        assertTrue(r.tryAcquire(t));
        assertTrue(r.tryAcquire(t));
        assertFalse(r.tryAcquire(t));
        assertFalse(r.tryAcquire(t + 99_999_999));
        assertTrue(r.tryAcquire(t + 100_000_000));
        assertFalse(r.tryAcquire(t + 100_000_000));
        // A long pause refills no more than the burst.
        long later = t + Duration.ofHours(1).toNanos();
        assertTrue(r.tryAcquire(later) && r.tryAcquire(later) && r.tryAcquire(later));
        assertFalse(r.tryAcquire(later));
    }
}
