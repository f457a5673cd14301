package atoll.openvpn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DataChannelTest {
    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A server and a client channel with mirrored keys. */
    static DataChannel[] pair(DataCipher c, long seed) {
        Random r = new Random(seed);
        byte[] k1 = bytes(r, c.keyLength());
        byte[] k2 = bytes(r, c.keyLength());
        byte[] iv1 = bytes(r, 8);
        byte[] iv2 = bytes(r, 8);
        return new DataChannel[] {new DataChannel(c, 0, 5, k1, iv1, k2, iv2), new DataChannel(c, 0, 5, k2, iv2, k1, iv1)};
    }

    @ParameterizedTest
    @EnumSource(DataCipher.class)
    void sealsAndOpensBothWays(DataCipher c) {
        DataChannel[] p = pair(c, 1);
        byte[] ip = bytes(new Random(2), 1400);
        byte[] packet = p[0].seal(ip, 0, ip.length);
        assertEquals(DataChannel.OVERHEAD + ip.length, packet.length);
        assertEquals(0x48, packet[0] & 0xff, "DATA_V2, key id 0");
        assertEquals(5, DataChannel.peerIdOf(packet, 0));
        assertEquals(1, packet[7], "the first packet id is 1");
        var opened = assertInstanceOf(DataChannel.Plaintext.class, p[1].open(packet, 0, packet.length));
        assertArrayEquals(ip, opened.octets());
        byte[] back = p[1].seal(new byte[0], 0, 0);
        assertEquals(0, ((DataChannel.Plaintext) p[0].open(back, 0, back.length)).octets().length);
    }

    @ParameterizedTest
    @EnumSource(DataCipher.class)
    void replaysTamperingAndStrangersAreDropped(DataCipher c) {
        DataChannel[] p = pair(c, 3);
        byte[] ip = bytes(new Random(4), 100);
        byte[] first = p[0].seal(ip, 0, ip.length);
        byte[] second = p[0].seal(ip, 0, ip.length);
        assertInstanceOf(DataChannel.Plaintext.class, p[1].open(second, 0, second.length));
        assertInstanceOf(DataChannel.Plaintext.class, p[1].open(first, 0, first.length), "late, inside the window");
        assertEquals(new DataChannel.Dropped(DataChannel.Reason.REPLAY), p[1].open(first, 0, first.length));
        byte[] third = p[0].seal(ip, 0, ip.length);
        for (int i = 0; i < third.length; i++) {
            byte[] bad = third.clone();
            bad[i] ^= 0x40;
            var d = assertInstanceOf(DataChannel.Dropped.class, p[1].open(bad, 0, bad.length), "octet " + i);
            if (i < 4) {
                assertEquals(DataChannel.Reason.NOT_OURS, d.reason(), "header octet " + i);
            } else if (i >= 8) {
                assertEquals(DataChannel.Reason.BAD_TAG, d.reason(), "octet " + i);
            } // a changed packet id is either already seen (REPLAY) or fails the tag
        }
        assertInstanceOf(DataChannel.Plaintext.class, p[1].open(third, 0, third.length), "the intact one still opens");
        assertEquals(new DataChannel.Dropped(DataChannel.Reason.SHORT), p[1].open(third, 0, 10));
        DataChannel[] other = pair(c, 99);
        byte[] foreign = null;
        for (int i = 0; i < 5; i++) {
            foreign = other[0].seal(ip, 0, ip.length); // id 5: one p[1] has not seen
        }
        assertEquals(new DataChannel.Dropped(DataChannel.Reason.BAD_TAG), p[1].open(foreign, 0, foreign.length));
    }
}
