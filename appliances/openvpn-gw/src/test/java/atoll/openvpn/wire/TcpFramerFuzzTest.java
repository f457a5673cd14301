package atoll.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@link TcpFramer}: any stream, fed in pieces whose sizes come from the input,
 * yields packets of 1..max octets, stops at {@code Broken}, and never throws.
 */
class TcpFramerFuzzTest {
    @FuzzTest
    void frames(byte[] data) {
        TcpFramer f = new TcpFramer(1500);
        int at = 0;
        int piece = 1;
        while (at < data.length) {
            int took = f.feed(data, at, Math.min(piece, data.length - at));
            at += took;
            piece = 1 + (data[at == 0 ? 0 : at - 1] & 0x3f);
            TcpFramer.Frame fr;
            while ((fr = f.next()) instanceof TcpFramer.Packet p) {
                assertTrue(p.octets().length >= 1 && p.octets().length <= 1500);
            }
            if (fr instanceof TcpFramer.Broken || took == 0 && fr instanceof TcpFramer.NeedMore) {
                assertTrue(fr instanceof TcpFramer.Broken || took > 0, "no progress without a broken stream");
                return;
            }
        }
    }
}
