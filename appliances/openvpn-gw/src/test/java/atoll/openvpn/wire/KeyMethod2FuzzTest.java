package atoll.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Jazzer target for {@link KeyMethod2#parseClient}: a message or PacketFormatException; what parses re-parses equal. */
class KeyMethod2FuzzTest {
    @FuzzTest
    void parse(byte[] data) {
        try {
            KeyMethod2 k = KeyMethod2.parseClient(data);
            assertEquals(k, KeyMethod2.parseClient(k.toBytes()));
            k.peerInfoMap();
        } catch (PacketFormatException expected) {
            // declared outcome
        }
    }
}
