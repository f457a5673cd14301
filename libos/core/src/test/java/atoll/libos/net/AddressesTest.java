package atoll.libos.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
    @ParameterizedTest
    @CsvSource({
        "::1, ::1",
        "::, ::",
        "2001:db8:0:0:0:0:0:80, 2001:db8::80",
        "2001:0DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // RFC 5952 §4.2.3: the first of equal runs
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // §4.2.2: a single zero group stays
        "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::", // §4.2.3: the longest run
        "fe80:0:0:0:0:0:0:0, fe80::",
        "192.0.2.1, 192.0.2.1",
    })
    void formatsPerRfc5952(String literal, String expected) throws UnknownHostException {
        assertEquals(expected, Addresses.format(InetAddress.getByName(literal)));
    }

    @ParameterizedTest
    @CsvSource({"::1, 53, [::1]:53", "127.0.0.1, 5300, 127.0.0.1:5300"})
    void socketAddressesBracketIpv6(String host, int port, String expected) throws UnknownHostException {
        assertEquals(expected, Addresses.format(new InetSocketAddress(InetAddress.getByName(host), port)));
    }
}
