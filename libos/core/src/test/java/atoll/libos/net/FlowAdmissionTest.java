package atoll.libos.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.libos.net.FlowAdmission.Outcome;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FlowAdmissionTest {

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only
    }

    @Test
    void ipv4CountsPerSlash24() throws Exception {
        FlowAdmission a = new FlowAdmission(100, 2);
        assertEquals(Outcome.ADMITTED, a.admit(ip("192.0.2.1")));
        assertEquals(Outcome.ADMITTED, a.admit(ip("192.0.2.254")));
        assertEquals(Outcome.OVER_PREFIX, a.admit(ip("192.0.2.77")));
        assertEquals(Outcome.ADMITTED, a.admit(ip("192.0.3.1")), "the next /24 is another prefix");
        a.release(ip("192.0.2.1"));
        assertEquals(Outcome.ADMITTED, a.admit(ip("192.0.2.9")), "a released slot can be taken again");
        assertEquals(3, a.open());
        assertEquals(2, a.openFrom(ip("192.0.2.100")));
    }

    @Test
    void ipv6CountsPerSlash56() throws Exception {
        FlowAdmission a = new FlowAdmission(100, 1);
        assertEquals(Outcome.ADMITTED, a.admit(ip("2001:db8:0:ab00::1")));
        assertEquals(Outcome.OVER_PREFIX, a.admit(ip("2001:db8:0:abff:ffff::2")), "same /56");
        assertEquals(Outcome.ADMITTED, a.admit(ip("2001:db8:0:ac00::1")), "next /56");
    }

    @Test
    void ipv4AndIpv6KeysNeverCollide() throws Exception {
        // 0.0.0.0/24 and ::/56 would both be zero without the family tag.
        assertNotEquals(FlowAdmission.prefixKey(ip("0.0.0.1")), FlowAdmission.prefixKey(ip("::1")));
        // An IPv4-mapped address counts as its IPv4 address.
        assertEquals(FlowAdmission.prefixKey(ip("192.0.2.1")), FlowAdmission.prefixKey(ip("::ffff:192.0.2.200")));
    }

    @Test
    void theTotalLimitComesAfterThePrefixLimit() throws Exception {
        FlowAdmission a = new FlowAdmission(2, 1);
        assertEquals(Outcome.ADMITTED, a.admit(ip("192.0.2.1")));
        assertEquals(Outcome.ADMITTED, a.admit(ip("198.51.100.1")));
        assertEquals(Outcome.OVER_TOTAL, a.admit(ip("203.0.113.1")));
        assertEquals(Outcome.OVER_PREFIX, a.admit(ip("192.0.2.2")));
    }

    @Test
    void releaseWithoutAdmitIsABug() throws Exception {
        FlowAdmission a = new FlowAdmission(2, 2);
        assertThrows(IllegalStateException.class, () -> a.release(ip("192.0.2.1")));
    }
}
