package atoll.tls;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * TLS 1.2 session tickets (RFC 5077): the session's state sealed under a ticket key the server
 * alone holds, so that resumption needs no server-side cache. Keys live in memory only: a restart
 * invalidates every ticket, which is what RFC 5077 §5.5 allows (the client falls back to a full
 * handshake).
 *
 * <p>Ticket format, RFC 5077 §4's recommendation with AES-256-GCM in place of AES-CBC + HMAC:
 * <pre>
 *   opaque key_name[16];      which ticket key sealed it
 *   opaque iv[12];            fresh per ticket
 *   opaque encrypted_state&lt;..&gt;;  AES-256-GCM over the state, key_name as associated data
 *   opaque tag[16];
 * </pre>
 * and the state: {@code uint64 issued (monotonic ns); uint16 cipher_suite; uint8 extended_master_secret;
 * opaque master_secret[48]}.
 *
 * <p>Rotation: a new key every {@code lifetime}; the one before stays to open tickets it sealed,
 * and a ticket is accepted only within {@code lifetime} of its issue, so no ticket outlives
 * that whatever the key. Time is the injected monotonic clock reading. Thread-safe.
 */
final class SessionTickets {
    /** RFC 5077 §4: key_name is 16 octets. */
    static final int KEY_NAME_LENGTH = 16;
    /** AES-GCM nonce, NIST SP 800-38D §8.2 (96 bits). */
    static final int IV_LENGTH = 12;
    /** AES-GCM tag, 128 bits. */
    static final int TAG_LENGTH = 16;
    /** RFC 5246 §8.1: the master secret is 48 bytes. */
    static final int MASTER_SECRET_LENGTH = 48;
    private static final int STATE_LENGTH = 8 + 2 + 1 + MASTER_SECRET_LENGTH;
    static final int TICKET_LENGTH = KEY_NAME_LENGTH + IV_LENGTH + STATE_LENGTH + TAG_LENGTH;

    /** What a ticket carries back. */
    record State(int cipherSuite, boolean extendedMasterSecret, byte[] masterSecret) {}

    private record Key(byte[] name, SecretKeySpec key, long createdNanos) {}

    private final SecureRandom random;
    private final long lifetimeNanos;
    private Key current;
    private Key previous;

    SessionTickets(SecureRandom random, Duration lifetime) {
        this.random = random;
        this.lifetimeNanos = lifetime.toNanos();
    }

    /** Ticket lifetime hint in seconds (RFC 5077 §3.3). */
    long lifetimeSeconds() {
        return Math.max(1, lifetimeNanos / 1_000_000_000L);
    }

    /** A new ticket for {@code state}, sealed under the current key (rotated first if due). */
    byte[] seal(State state, long nowNanos) {
        Key k = keyFor(nowNanos);
        byte[] ticket = new byte[TICKET_LENGTH];
        System.arraycopy(k.name(), 0, ticket, 0, KEY_NAME_LENGTH);
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, ticket, KEY_NAME_LENGTH, IV_LENGTH);
        ByteBuffer plain = ByteBuffer.allocate(STATE_LENGTH);
        plain.putLong(nowNanos).putShort((short) state.cipherSuite()).put((byte) (state.extendedMasterSecret() ? 1 : 0))
                .put(state.masterSecret());
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k.key(), new GCMParameterSpec(TAG_LENGTH * 8, iv));
            c.updateAAD(k.name());
            c.doFinal(plain.array(), 0, STATE_LENGTH, ticket, KEY_NAME_LENGTH + IV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(plain.array(), (byte) 0);
        }
        return ticket;
    }

    /**
     * The state in {@code ticket}, or empty when it is not ours, was altered, its key has been
     * rotated out, or it is older than the lifetime (RFC 5077 §3.4: the server then goes on with a
     * full handshake).
     */
    Optional<State> open(byte[] ticket, long nowNanos) {
        if (ticket == null || ticket.length != TICKET_LENGTH) {
            return Optional.empty();
        }
        Key k;
        synchronized (this) {
            keyFor(nowNanos);
            byte[] name = Arrays.copyOf(ticket, KEY_NAME_LENGTH);
            k = Arrays.equals(name, current.name()) ? current
                    : previous != null && Arrays.equals(name, previous.name()) ? previous : null;
        }
        if (k == null) {
            return Optional.empty();
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k.key(), new GCMParameterSpec(TAG_LENGTH * 8, ticket, KEY_NAME_LENGTH, IV_LENGTH));
            c.updateAAD(k.name());
            plain = c.doFinal(ticket, KEY_NAME_LENGTH + IV_LENGTH, STATE_LENGTH + TAG_LENGTH);
        } catch (GeneralSecurityException altered) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        long issued = b.getLong();
        int suite = b.getShort() & 0xffff;
        boolean ems = b.get() == 1;
        byte[] master = new byte[MASTER_SECRET_LENGTH];
        b.get(master);
        Arrays.fill(plain, (byte) 0);
        if (nowNanos - issued >= lifetimeNanos || nowNanos - issued < 0) {
            return Optional.empty();
        }
        return Optional.of(new State(suite, ems, master));
    }

    private synchronized Key keyFor(long nowNanos) {
        if (current == null || nowNanos - current.createdNanos() >= lifetimeNanos) {
            previous = current;
            byte[] name = new byte[KEY_NAME_LENGTH];
            byte[] key = new byte[32]; // AES-256
            random.nextBytes(name);
            random.nextBytes(key);
            current = new Key(name, new SecretKeySpec(key, "AES"), nowNanos);
            Arrays.fill(key, (byte) 0);
        }
        return current;
    }
}
