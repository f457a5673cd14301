package atoll.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigTypesTest {

    @Test
    void ipv4InterfaceParsesPrefixNotation() {
        Ipv4Interface i = Ipv4Interface.TYPE.parse(" 192.0.2.2/24 ");
        assertEquals("192.0.2.2/24", Ipv4Interface.TYPE.format(i));
        assertEquals(0xc0000202, i.addressBits());
        assertEquals(0xffffff00, i.maskBits());
        assertTrue(i.onLink(0xc0000201));
        assertFalse(i.onLink(0xc6336401)); // 198.51.100.1
        assertEquals(-1, Ipv4Interface.TYPE.parse("192.0.2.9/32").maskBits());
        assertEquals(0x80000000, Ipv4Interface.TYPE.parse("192.0.2.9/1").maskBits());
    }

    @Test
    void ipv4InterfaceRefusesWhatIsNotAnAddressAndPrefix() {
        for (String bad : new String[] {"192.0.2.2", "192.0.2.2/0", "192.0.2.2/33", "192.0.2.2/x", "2001:db8::1/64",
                "host/24", "192.0.2.256/24"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Interface.TYPE.parse(bad), bad);
        }
    }

    @Test
    void macAddressMustBeUnicast() {
        MacAddressType t = new MacAddressType();
        assertEquals("02:00:5e:00:53:02", t.parse("02:00:5E:00:53:02"));
        assertEquals("", t.parse(""));
        assertArrayEquals(new byte[] {2, 0, 0x5e, 0, 0x53, 2}, MacAddressType.bytes("02:00:5e:00:53:02"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("01:00:5e:00:00:01"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("02:00:5e:00:53"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("02-00-5e-00-53-02"));
    }
}
