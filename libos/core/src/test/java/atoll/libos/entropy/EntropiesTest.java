package atoll.libos.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EntropiesTest {

    @Test
    void seededIsReproducible() {
        Entropy a = Entropies.seeded(42);
        Entropy b = Entropies.seeded(42);
        byte[] x = new byte[13];
        byte[] y = new byte[13];
        a.nextBytes(x);
        b.nextBytes(y);
        assertArrayEquals(x, y);
        assertEquals(a.nextLong(), b.nextLong());
        assertEquals(a.nextInt(1000), b.nextInt(1000));
        Entropy c = Entropies.seeded(43);
        byte[] z = new byte[13];
        c.nextBytes(z);
        assertFalse(Arrays.equals(x, z));
        assertTrue(c.toString().contains("NOT secure"));
    }

    @Test
    void boundsAreRespected() {
        for (Entropy e : new Entropy[] {Entropies.seeded(1), Entropies.secure()}) {
            for (int i = 0; i < 1000; i++) {
                int v = e.nextInt(7);
                assertTrue(v >= 0 && v < 7, "value " + v);
            }
            assertThrows(IllegalArgumentException.class, () -> e.nextInt(0));
        }
    }

    @Test
    void secureProducesFreshBytes() {
        Entropy e = Entropies.secure();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        e.nextBytes(a);
        e.nextBytes(b);
        // 2^-256 chance of a false failure.
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
        assertTrue(e.toString().contains("DRBG"), e.toString());
    }
}
