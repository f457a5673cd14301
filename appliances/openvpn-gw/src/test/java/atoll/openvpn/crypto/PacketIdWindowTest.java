package atoll.openvpn.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketIdWindowTest {
    @Test
    void acceptsEachIdOnceWithinTheWindow() {
        PacketIdWindow w = new PacketIdWindow();
        assertFalse(w.accept(0), "0 is never a packet id");
        assertTrue(w.accept(5));
        assertFalse(w.accept(5), "replay");
        assertTrue(w.accept(3), "late but inside the window");
        assertFalse(w.accept(3));
        assertTrue(w.accept(200));
        assertFalse(w.accept(200 - PacketIdWindow.SIZE), "fell out of the window");
        assertTrue(w.accept(200 - PacketIdWindow.SIZE + 1));
        assertFalse(w.accept(6), "far behind");
        assertFalse(w.isFresh(0x1_0000_0000L));
    }

    @Test
    void seededShuffleAcceptsEveryIdExactlyOnce() {
        var r = new java.util.Random(3);
        PacketIdWindow w = new PacketIdWindow();
        int accepted = 0;
        for (int base = 1; base < 10_000; base += 16) {
            int[] ids = new int[16];
            for (int i = 0; i < 16; i++) {
                ids[i] = base + i;
            }
            for (int i = 15; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
            for (int id : ids) {
                accepted += w.accept(id) ? 1 : 0;
                assertFalse(w.accept(id));
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(10_000, accepted, "ids 1..10000, each once");
    }
}
