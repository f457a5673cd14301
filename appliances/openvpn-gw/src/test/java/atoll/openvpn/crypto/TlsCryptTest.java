package atoll.openvpn.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.Opcode;
import org.junit.jupiter.api.Test;

class TlsCryptTest {
    static StaticKey key(long seed) {
        byte[] k = new byte[StaticKey.LENGTH];
        new java.util.Random(seed).nextBytes(k);
        return StaticKey.of(k);
    }

    static final ControlPacket PACKET = new ControlPacket(Opcode.CONTROL_V1, 0, 0x0102030405060708L,
            new long[] {0}, 0x1112131415161718L, 1, "client hello bytes".getBytes());

    @Test
    void clientWrapsServerUnwrapsAndBack() {
        StaticKey k = key(1);
        TlsCrypt client = new TlsCrypt(k, TlsCrypt.Role.CLIENT);
        TlsCrypt server = new TlsCrypt(k, TlsCrypt.Role.SERVER);
        byte[] w = client.wrap(PACKET, 7, 1_700_000_000L);
        assertEquals(ControlPacket.HEADER_LENGTH + TlsCrypt.OVERHEAD + PACKET.bodyLength(), w.length);
        var a = assertInstanceOf(ControlProtection.Authentic.class, server.unwrap(w, 0, w.length));
        assertEquals(PACKET, a.packet());
        assertEquals(7, a.packetId());
        assertEquals(1_700_000_000L, a.netTime());
        byte[] back = server.wrap(PACKET, 8, 1);
        assertEquals(PACKET, ((ControlProtection.Authentic) client.unwrap(back, 0, back.length)).packet());
    }

    @Test
    void theBodyIsEncrypted() {
        byte[] w = new TlsCrypt(key(1), TlsCrypt.Role.CLIENT).wrap(PACKET, 7, 0);
        String seen = new String(w, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(-1, seen.indexOf("client hello"));
    }

    @Test
    void everyFlippedBitIsRejected() {
        StaticKey k = key(2);
        byte[] w = new TlsCrypt(k, TlsCrypt.Role.CLIENT).wrap(PACKET, 7, 0);
        TlsCrypt server = new TlsCrypt(k, TlsCrypt.Role.SERVER);
        for (int bit = 0; bit < 8 * w.length; bit++) {
            byte[] bad = w.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertInstanceOf(ControlProtection.Rejected.class, server.unwrap(bad, 0, bad.length), "bit " + bit);
        }
    }

    @Test
    void wrongKeyOrOwnDirectionIsRejected() {
        byte[] w = new TlsCrypt(key(3), TlsCrypt.Role.CLIENT).wrap(PACKET, 7, 0);
        assertInstanceOf(ControlProtection.Rejected.class, new TlsCrypt(key(4), TlsCrypt.Role.SERVER).unwrap(w, 0, w.length));
        // A server's own packet reflected back at it does not authenticate (keys differ by direction).
        byte[] s = new TlsCrypt(key(3), TlsCrypt.Role.SERVER).wrap(PACKET, 7, 0);
        assertInstanceOf(ControlProtection.Rejected.class, new TlsCrypt(key(3), TlsCrypt.Role.SERVER).unwrap(s, 0, s.length));
        assertInstanceOf(ControlProtection.Rejected.class, new TlsCrypt(key(3), TlsCrypt.Role.SERVER).unwrap(new byte[10], 0, 10));
    }

    @Test
    void staticKeyFileRoundTripsAndBadFilesSayWhy() {
        StaticKey k = key(5);
        String text = k.format();
        byte[] w = new TlsCrypt(StaticKey.parse(text), TlsCrypt.Role.CLIENT).wrap(PACKET, 1, 0);
        assertInstanceOf(ControlProtection.Authentic.class, new TlsCrypt(k, TlsCrypt.Role.SERVER).unwrap(w, 0, w.length));
        var e = assertThrows(IllegalArgumentException.class, () -> StaticKey.parse("nothing here"));
        assertEquals("no '-----BEGIN OpenVPN Static key V1-----' ... '-----END OpenVPN Static key V1-----' block", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StaticKey.parse(text.replace("\n-----END", "00\n-----END")));
        assertThrows(IllegalArgumentException.class, () -> StaticKey.parse(text.replaceFirst("[0-9a-f]{2}\n", "zz\n")));
    }
}
