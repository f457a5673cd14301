package atoll.libos.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransportAddressTest {

    @Test
    void octetsAndJavaNetFormsAreTheSameValue() throws Exception {
        TransportAddress raw = new TransportAddress().setIpv4(0xC0000201, 53);
        InetSocketAddress isa = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 53);
        TransportAddress net = TransportAddress.of(isa);
        assertEquals(raw, net);
        assertEquals(net, raw);
        assertEquals(raw.hashCode(), net.hashCode());
        assertEquals(isa, raw.toInetSocketAddress());
        assertSame(isa, net.toInetSocketAddress(), "the given reference is kept");
        assertEquals(0xC0000201, net.ipv4());
        assertEquals(192, net.addressOctet(0));
        assertTrue(raw.isIpv4());
        assertEquals("192.0.2.1:53", raw.toString());
    }

    @Test
    void ipv6WithScope() throws Exception {
        byte[] a = InetAddress.getByName("fe80::1").getAddress();
        TransportAddress t = new TransportAddress().setIpv6(a, 0, 2, 5300);
        InetSocketAddress isa = t.toInetSocketAddress();
        assertEquals(2, ((Inet6Address) isa.getAddress()).getScopeId());
        assertEquals(t, TransportAddress.of(isa));
        assertNotEquals(t, new TransportAddress().setIpv6(a, 0, 3, 5300), "scope ids differ");
        assertNotEquals(t, new TransportAddress().setIpv6(a, 0, 2, 5301), "ports differ");
        byte[] out = new byte[16];
        t.copyAddress(out, 0);
        assertEquals(InetAddress.getByName("fe80::1"), InetAddress.getByAddress(out));
        assertEquals("[fe80::1]:5300", new TransportAddress().setIpv6(a, 0, 0, 5300).toString());
    }

    @Test
    void copyIsIndependentAndSetReusesTheInstance() {
        TransportAddress loopOwned = TransportAddress.of(new InetSocketAddress("127.0.0.1", 1000));
        TransportAddress kept = loopOwned.copy();
        loopOwned.set(new InetSocketAddress("127.0.0.1", 2000));
        assertEquals(1000, kept.port());
        assertEquals(2000, loopOwned.port());
        Set<TransportAddress> keys = new HashSet<>();
        keys.add(kept);
        assertTrue(keys.contains(new TransportAddress().setIpv4(0x7F000001, 1000)));

        DatagramAddresses d = new DatagramAddresses();
        d.source().set(kept);
        d.destination().setIpv4(0x7F000001, 53);
        DatagramAddresses c = d.copy();
        d.source().clear();
        assertFalse(d.source().isSet());
        assertEquals(1000, c.source().port());
        assertEquals("127.0.0.1:1000 -> 127.0.0.1:53", c.toString());
    }

    @Test
    void badValuesAreRefused() {
        TransportAddress t = new TransportAddress();
        assertThrows(IllegalStateException.class, t::port, "unset");
        assertThrows(IllegalArgumentException.class, () -> t.setIpv4(1, 65536));
        assertThrows(IllegalArgumentException.class, () -> t.set(InetSocketAddress.createUnresolved("example.com", 53)));
        assertThrows(IndexOutOfBoundsException.class, () -> t.setIpv6(new byte[15], 0, 0, 1));
        assertThrows(IllegalStateException.class, () -> t.setIpv6(new byte[16], 0, 0, 1).ipv4());
        assertTrue(t.isAnyLocal());
        assertFalse(new TransportAddress().setIpv4(1, 1).isAnyLocal());
    }
}
