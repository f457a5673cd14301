package atoll.openvpn.data;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Jazzer target for {@link DataChannel#open}: any octets are dropped with a reason, never thrown on. */
class DataChannelFuzzTest {
    @FuzzTest
    void openAnything(byte[] data) {
        for (DataCipher c : DataCipher.values()) {
            DataChannel ch = DataChannelTest.pair(c, 7)[1];
            assertInstanceOf(DataChannel.Dropped.class, ch.open(data, 0, data.length));
        }
    }
}
