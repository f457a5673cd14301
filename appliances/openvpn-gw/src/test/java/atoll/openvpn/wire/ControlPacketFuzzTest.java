package atoll.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@link ControlPacket#parse}: any octets give a packet or PacketFormatException,
 * and a packet that parses writes back to the same octets. Plain {@code mvn test} replays the seeds
 * under {@code src/test/resources/atoll/openvpn/wire/ControlPacketFuzzTestInputs/}; {@code
 * JAZZER_FUZZ=1} fuzzes.
 */
class ControlPacketFuzzTest {
    @FuzzTest
    void parseAndRoundTrip(byte[] data) {
        try {
            ControlPacket p = ControlPacket.parse(data);
            assertArrayEquals(data, p.toBytes());
        } catch (PacketFormatException expected) {
            // declared outcome for malformed input
        }
    }
}
