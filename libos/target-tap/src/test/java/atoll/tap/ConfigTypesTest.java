package atoll.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import org.junit.jupiter.api.Test;

class ConfigTypesTest {

    @Test
    void ipv4InterfaceParsesPrefixNotation() {
        Ipv4Interface i = Ipv4Interface.TYPE.parse(" 192.0.2.2/24 ");
        assertEquals("192.0.2.2/24", Ipv4Interface.TYPE.format(i));
        assertEquals(0xc0000202, i.address().bits());
        assertEquals(0xffffff00, i.maskBits());
        assertTrue(i.onLink(0xc0000201));
        assertFalse(i.onLink(0xc6336401)); // 198.51.100.1
        assertEquals(-1, Ipv4Interface.TYPE.parse("192.0.2.9/32").maskBits());
        assertEquals(0x80000000, Ipv4Interface.TYPE.parse("192.0.2.9/1").maskBits());
    }

    @Test
    void ipv4InterfaceRefusesWhatIsNotAnAddressAndPrefix() {
        for (String bad : new String[] {"192.0.2.2", "192.0.2.2/0", "192.0.2.2/33", "192.0.2.2/x", "192.0.2.2/+4",
                "2001:db8::1/64", "host/24", "192.0.2.256/24", "192.0.2.2/"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Interface.TYPE.parse(bad), bad);
        }
    }

    @Test
    void macAddressMustBeUnicastAndEmptyMeansPickOne() {
        assertEquals(MacAddress.parse("02:00:5e:00:53:02"), LinkValueTypes.MAC.parse("02:00:5E:00:53:02"));
        assertEquals(MacAddress.ZERO, LinkValueTypes.MAC.parse(""));
        assertEquals("", LinkValueTypes.MAC.format(MacAddress.ZERO));
        assertThrows(IllegalArgumentException.class, () -> LinkValueTypes.MAC.parse("01:00:5e:00:00:01"));
        assertThrows(IllegalArgumentException.class, () -> LinkValueTypes.MAC.parse("00:00:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> LinkValueTypes.MAC.parse("02:00:5e:00:53"));
    }

    @Test
    void gatewayIsAnAddressOrNone() {
        assertEquals(Ipv4Address.UNSPECIFIED, LinkValueTypes.OPTIONAL_IPV4.parse(" "));
        assertEquals(Ipv4Address.parse("192.0.2.1"), LinkValueTypes.OPTIONAL_IPV4.parse("192.0.2.1"));
        assertThrows(IllegalArgumentException.class, () -> LinkValueTypes.OPTIONAL_IPV4.parse("192.0.2"));
    }
}
