package atoll.openvpn.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {
    static int a(String s) {
        return Ipv4Address.parse(s).bits();
    }

    @Test
    void rulesAllowTheirPrefixAndPortsOnly() {
        DestinationPolicy p = DestinationPolicy.parse(List.of("198.51.100.0/24:80", " 203.0.113.7 ", "0.0.0.0/0:443",
                "192.0.2.0/25:8000-8099"));
        assertTrue(p.allows(a("198.51.100.200"), 80));
        assertFalse(p.allows(a("198.51.100.200"), 81));
        assertFalse(p.allows(a("198.51.101.1"), 80));
        assertTrue(p.allows(a("203.0.113.7"), 1));
        assertTrue(p.allows(a("203.0.113.7"), -1), "a whole-host rule covers protocols without ports");
        assertFalse(p.allows(a("198.51.100.1"), -1), "a port rule does not");
        assertTrue(p.allows(a("8.8.8.8"), 443));
        assertTrue(p.allows(a("192.0.2.127"), 8099));
        assertFalse(p.allows(a("192.0.2.128"), 8000));
        assertFalse(p.allows(a("192.0.2.1"), 8100));
        assertEquals("198.51.100.0/24:80,203.0.113.7/32,0.0.0.0/0:443,192.0.2.0/25:8000-8099", p.toString());
    }

    @Test
    void emptyAllowsNothing() {
        DestinationPolicy p = DestinationPolicy.parse(List.of());
        assertFalse(p.allows(a("198.51.100.1"), 80));
        assertEquals("(nothing)", p.toString());
    }

    @Test
    void badRulesNameThemselves() {
        for (String bad : List.of("198.51.100.0/33", "198.51.100.1/24", "198.51.100.0/24:0", "198.51.100.0/24:70000",
                "198.51.100.0/24:90-80", "198.51.100", "example.net:80", "198.51.100.0/:80", "198.51.100.0/24:")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DestinationPolicy.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("'" + bad + "'"), e.getMessage());
        }
    }
}
