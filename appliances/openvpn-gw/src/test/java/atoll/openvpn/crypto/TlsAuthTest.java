package atoll.openvpn.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import atoll.openvpn.wire.ControlPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsAuthTest {
    static final ControlPacket PACKET = TlsCryptTest.PACKET;

    @ParameterizedTest
    @EnumSource(TlsAuth.Digest.class)
    void clientAndServerDirectionsAgree(TlsAuth.Digest digest) {
        StaticKey k = TlsCryptTest.key(21);
        TlsAuth server = new TlsAuth(k, TlsAuth.Direction.NORMAL, digest);
        TlsAuth client = new TlsAuth(k, TlsAuth.Direction.INVERSE, digest);
        byte[] w = client.wrap(PACKET, 3, 99);
        assertEquals(ControlPacket.HEADER_LENGTH + client.overhead() + PACKET.bodyLength(), w.length);
        var a = assertInstanceOf(ControlProtection.Authentic.class, server.unwrap(w, 0, w.length));
        assertEquals(PACKET, a.packet());
        assertEquals(3, a.packetId());
        assertEquals(99, a.netTime());
        byte[] back = server.wrap(PACKET, 4, 100);
        assertEquals(PACKET, ((ControlProtection.Authentic) client.unwrap(back, 0, back.length)).packet());
        // The body travels in clear after header, HMAC and ids.
        byte[] body = PACKET.bodyBytes();
        assertArrayEquals(body, java.util.Arrays.copyOfRange(w, w.length - body.length, w.length));
        // Reflected: a server's own packet does not authenticate at the server.
        assertInstanceOf(ControlProtection.Rejected.class, server.unwrap(back, 0, back.length));
        TlsAuth bi = new TlsAuth(k, TlsAuth.Direction.BIDIRECTIONAL, digest);
        byte[] b = bi.wrap(PACKET, 1, 1);
        assertInstanceOf(ControlProtection.Authentic.class, bi.unwrap(b, 0, b.length));
    }

    @Test
    void everyFlippedBitIsRejected() {
        StaticKey k = TlsCryptTest.key(22);
        byte[] w = new TlsAuth(k, TlsAuth.Direction.INVERSE, TlsAuth.Digest.SHA1).wrap(PACKET, 7, 0);
        TlsAuth server = new TlsAuth(k, TlsAuth.Direction.NORMAL, TlsAuth.Digest.SHA1);
        for (int bit = 0; bit < 8 * w.length; bit++) {
            byte[] bad = w.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertInstanceOf(ControlProtection.Rejected.class, server.unwrap(bad, 0, bad.length), "bit " + bit);
        }
        assertInstanceOf(ControlProtection.Rejected.class, server.unwrap(w, 0, 20));
        assertEquals(TlsAuth.Digest.SHA256, TlsAuth.Digest.parse("sha-256"));
    }
}
