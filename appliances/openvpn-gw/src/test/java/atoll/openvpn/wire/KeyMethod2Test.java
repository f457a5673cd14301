package atoll.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.openvpn.data.CipherNegotiation;
import atoll.openvpn.data.DataCipher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyMethod2Test {
    static final String PEER_INFO = "IV_VER=2.6.14\nIV_PLAT=linux\nIV_PROTO=990\nIV_NCP=2\n"
            + "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_TCPNL=1\n";

    static KeyMethod2 client() {
        return new KeyMethod2(new byte[48], filled(32, 1), filled(32, 2),
                "V4,dev-type tun,link-mtu 1559,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,key-method 2,tls-client", "", "",
                PEER_INFO);
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void clientAndServerMessagesRoundTrip() throws Exception {
        KeyMethod2 c = new KeyMethod2(filled(48, 7), filled(32, 1), filled(32, 2), "V4,tls-client", "alice", "s3cret",
                PEER_INFO);
        assertEquals(c, KeyMethod2.parseClient(c.toBytes()));
        KeyMethod2 s = new KeyMethod2(new byte[0], filled(32, 3), filled(32, 4), "V4,tls-server", "", "", "");
        byte[] sb = s.toBytes();
        assertEquals(4 + 1 + 64 + 2 + "V4,tls-server".length() + 1, sb.length);
        assertEquals(s, KeyMethod2.parseServer(sb));
        assertEquals("990", KeyMethod2.parseClient(client().toBytes()).peerInfoMap().get("IV_PROTO"));
    }

    @Test
    void layoutOfAString() {
        byte[] b = new KeyMethod2(new byte[0], new byte[32], new byte[32], "ab", "", "", "").toBytes();
        // zero (4), method 2, randoms (64), then length 3 (two octets and the NUL), 'a', 'b', NUL.
        assertEquals(2, b[4]);
        assertEquals(List.of(0, 3, 'a' & 0xff, 'b' & 0xff, 0),
                List.of(b[69] & 0xff, b[70] & 0xff, b[71] & 0xff, b[72] & 0xff, b[73] & 0xff));
    }

    @Test
    void malformedMessagesSayWhy() {
        byte[] good = client().toBytes();
        for (int n = 0; n < 4 + 1 + 48 + 64 + 2; n++) {
            int len = n;
            assertThrows(PacketFormatException.class, () -> KeyMethod2.parseClient(java.util.Arrays.copyOf(good, len)));
        }
        byte[] method1 = good.clone();
        method1[4] = 1;
        assertEquals("key method 1 (only 2 exists since OpenVPN 2.5)",
                assertThrows(PacketFormatException.class, () -> KeyMethod2.parseClient(method1)).getMessage());
        byte[] noNul = good.clone();
        noNul[4 + 1 + 48 + 64 + 2 + client().options().length()] = 'x';
        assertThrows(PacketFormatException.class, () -> KeyMethod2.parseClient(noNul));
    }

    @Test
    void cipherNegotiationFollowsTheServersOrder() {
        Map<String, String> info = client().peerInfoMap();
        assertEquals(new CipherNegotiation.Agreed(DataCipher.CHACHA20_POLY1305, true), CipherNegotiation.negotiate(
                List.of(DataCipher.CHACHA20_POLY1305, DataCipher.AES_256_GCM), info));
        assertEquals(new CipherNegotiation.Agreed(DataCipher.AES_128_GCM, false), CipherNegotiation.negotiate(
                List.of(DataCipher.AES_128_GCM), Map.of("IV_PROTO", "2", "IV_CIPHERS", "AES-128-GCM")));
        assertEquals(CipherNegotiation.Refused.class, CipherNegotiation.negotiate(List.of(DataCipher.AES_256_GCM),
                Map.of("IV_PROTO", "2", "IV_CIPHERS", "BF-CBC")).getClass());
        assertEquals(CipherNegotiation.Refused.class, CipherNegotiation.negotiate(List.of(DataCipher.AES_256_GCM),
                Map.of("IV_PROTO", "0", "IV_CIPHERS", "AES-256-GCM")).getClass());
        assertEquals(CipherNegotiation.Refused.class, CipherNegotiation.negotiate(List.of(DataCipher.AES_256_GCM),
                Map.of("IV_PROTO", "x")).getClass());
    }
}
