package atoll.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.entropy.Entropies;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sealing, opening, lifetime and key rotation of RFC 5077 tickets, on a hand-moved clock. */
class SessionTicketsTest {
    private static final long HOUR = Duration.ofHours(1).toNanos();
    private static final byte[] MASTER = new byte[SessionTickets.MASTER_SECRET_LENGTH];

    static {
        for (int i = 0; i < MASTER.length; i++) {
            MASTER[i] = (byte) i;
        }
    }

    private static SessionTickets tickets() {
        return new SessionTickets(new EntropyRandom(Entropies.seeded(5)), Duration.ofHours(1));
    }

    @Test
    void roundTripWithinTheLifetime() {
        SessionTickets t = tickets();
        byte[] ticket = t.seal(new SessionTickets.State(0xC02B, true, MASTER), 1_000);
        SessionTickets.State s = t.open(ticket, 1_000 + HOUR - 1).orElseThrow();
        assertEquals(0xC02B, s.cipherSuite());
        assertTrue(s.extendedMasterSecret());
        assertArrayEquals(MASTER, s.masterSecret());
        assertEquals(3600, t.lifetimeSeconds());
    }

    @Test
    void expiredAlteredForeignOrShortTicketsAreRefused() {
        SessionTickets t = tickets();
        byte[] ticket = t.seal(new SessionTickets.State(0xC02B, false, MASTER), 0);
        assertEquals(Optional.empty(), t.open(ticket, HOUR), "one lifetime after issue");
        for (int i = 0; i < ticket.length; i++) {
            byte[] altered = ticket.clone();
            altered[i] ^= (byte) 0x80;
            assertEquals(Optional.empty(), t.open(altered, 1), "altered octet " + i);
        }
        SessionTickets other = new SessionTickets(new EntropyRandom(Entropies.seeded(6)), Duration.ofHours(1));
        assertEquals(Optional.empty(), other.open(ticket, 1), "another server's key");
        assertEquals(Optional.empty(), t.open(new byte[10], 1));
        assertEquals(Optional.empty(), t.open(null, 1));
    }

    @Test
    void aRotatedKeyStillOpensItsTicketsThenIsDropped() {
        SessionTickets t = tickets();
        t.seal(new SessionTickets.State(0xC02B, false, MASTER), 0); // the first key, made at 0
        byte[] early = t.seal(new SessionTickets.State(0xC02B, false, MASTER), HOUR - 10);
        byte[] late = t.seal(new SessionTickets.State(0xC02F, false, MASTER), HOUR + 5); // rotates: a new key
        assertTrue(t.open(early, HOUR + 6).isPresent(), "the previous key still opens its ticket");
        assertEquals(0xC02F, t.open(late, HOUR + 6).orElseThrow().cipherSuite());
        t.seal(new SessionTickets.State(0xC02B, false, MASTER), 2 * HOUR + 5); // rotates again: the first key is gone
        assertEquals(Optional.empty(), t.open(early, 2 * HOUR + 6));
        assertTrue(t.open(late, 2 * HOUR + 4).isPresent(), "the second key is now the previous one");
    }
}
