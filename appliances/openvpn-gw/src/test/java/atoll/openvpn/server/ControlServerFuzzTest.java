package atoll.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.openvpn.crypto.SessionCookie;
import atoll.openvpn.crypto.StaticKey;
import atoll.openvpn.crypto.ControlProtection;
import atoll.openvpn.crypto.TlsCrypt;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Jazzer target for the whole receive path of {@link ControlServer}, without tls-crypt (so the
 * fuzzer reaches the parser, the cookie check and the reliability layer's reassembly) and with it:
 * a sequence of datagrams (split at 0xff 0xfe) never throws and never holds more than max-clients
 * sessions. Seeds under {@code src/test/resources/atoll/openvpn/server/ControlServerFuzzTestInputs/}.
 */
class ControlServerFuzzTest {
    static final byte[] SECRET = new byte[32];

    @FuzzTest
    void anyDatagramSequence(byte[] data) throws Exception {
        ControlServer plain = new ControlServer(new ControlProtection.None(), new SessionCookie(SECRET, Duration.ofSeconds(30)), 2);
        ControlServer crypt = new ControlServer(new TlsCrypt(StaticKey.of(new byte[StaticKey.LENGTH]), TlsCrypt.Role.SERVER),
                new SessionCookie(SECRET, Duration.ofSeconds(30)), 2);
        int start = 0;
        int n = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || (i + 1 < data.length && data[i] == (byte) 0xff && data[i + 1] == (byte) 0xfe)) {
                Peer p = new Peer(InetAddress.getLoopbackAddress(), 1000 + (n++ % 4));
                plain.receive(p, data, start, i - start, n * 1_000_000_000L, 0);
                crypt.receive(p, data, start, i - start, n * 1_000_000_000L, 0);
                plain.poll(n * 1_000_000_000L, 0);
                start = i + 2;
                i++;
            }
        }
        assertTrue(plain.sessionCount() <= 2 && crypt.sessionCount() <= 2);
    }
}
