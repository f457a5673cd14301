package atoll.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framer fed the same stream cut at every split point (DESIGN §9.12, like hpack's testAllSplits). */
class TcpFramerTest {
    static final List<byte[]> PACKETS = List.of(new byte[] {0x38, 1, 2, 3}, new byte[] {9}, new byte[300],
            new byte[] {0x28, 7, 7, 7, 7, 7, 7, 7, 7, 0});

    static byte[] stream() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] p : PACKETS) {
            s.writeBytes(TcpFramer.frame(p));
        }
        return s.toByteArray();
    }

    /** Feeds {@code cuts} pieces, draining after each, and returns the packets. */
    static List<byte[]> run(byte[] stream, int... cuts) {
        TcpFramer f = new TcpFramer(1500);
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : stream.length;
            while (at < end) {
                at += f.feed(stream, at, end - at);
                for (TcpFramer.Frame fr = f.next(); fr instanceof TcpFramer.Packet p; fr = f.next()) {
                    out.add(p.octets());
                }
            }
        }
        return out;
    }

    static void assertPackets(List<byte[]> got) {
        assertEquals(PACKETS.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(PACKETS.get(i), got.get(i));
        }
    }

    @Test
    void everySingleSplitPoint() {
        byte[] s = stream();
        for (int cut = 0; cut <= s.length; cut++) {
            assertPackets(run(s, cut));
        }
    }

    @Test
    void everyPairOfSplitPoints() {
        byte[] s = stream();
        for (int a = 0; a <= s.length; a += 3) {
            for (int b = a; b <= s.length; b += 7) {
                assertPackets(run(s, a, b));
            }
        }
    }

    @Test
    void oneOctetAtATime() {
        byte[] s = stream();
        int[] cuts = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            cuts[i] = i;
        }
        assertPackets(run(s, cuts));
    }

    @Test
    void zeroOrOversizedLengthBreaksTheStreamForGood() {
        TcpFramer f = new TcpFramer(1500);
        f.feed(new byte[] {0, 0, 1}, 0, 3);
        assertEquals(new TcpFramer.Broken(0), f.next());
        assertEquals(0, f.feed(new byte[] {0, 1, 1}, 0, 3));
        assertInstanceOf(TcpFramer.Broken.class, f.next());
        TcpFramer g = new TcpFramer(1500);
        g.feed(new byte[] {0x05, (byte) 0xdd}, 0, 2);
        assertEquals(new TcpFramer.Broken(1501), g.next());
        assertInstanceOf(TcpFramer.NeedMore.class, new TcpFramer(10).next());
    }
}
