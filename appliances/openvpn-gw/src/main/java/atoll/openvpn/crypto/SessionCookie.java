package atoll.openvpn.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stateless handshake's cookie (OpenVPN 2.6's HMAC session id, {@code ssl_pkt.c}
 * {@code calculate_session_id_hmac}): the server answers a HARD_RESET_CLIENT with a session id
 * computed from a secret, the client's address and session id and a time slot, and keeps nothing.
 * Only a client that echoes that id back in an acknowledgement (so it can receive at its address)
 * gets state. A slot is half the handshake window; the current and the previous slot are accepted.
 */
public final class SessionCookie {
    private final SecretKeySpec key;
    private final Mac mac;
    private final long slotNanos;

    /** @param secret at least 32 random octets, made at start-up */
    public SessionCookie(byte[] secret, java.time.Duration slot) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("cookie secret under 32 octets");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.slotNanos = slot.toNanos();
        try {
            this.mac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server session id for this client at {@code nowNanos}. */
    public long sessionId(byte[] peer, long clientSessionId, long nowNanos) {
        return compute(peer, clientSessionId, Math.floorDiv(nowNanos, slotNanos));
    }

    /** Whether {@code serverSessionId} is the cookie for this client in the current or previous slot. */
    public boolean verify(byte[] peer, long clientSessionId, long serverSessionId, long nowNanos) {
        long slot = Math.floorDiv(nowNanos, slotNanos);
        return compute(peer, clientSessionId, slot) == serverSessionId
                || compute(peer, clientSessionId, slot - 1) == serverSessionId;
    }

    private long compute(byte[] peer, long clientSessionId, long slot) {
        try {
            mac.init(key);
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        mac.update(peer);
        mac.update(ByteBuffer.allocate(16).putLong(clientSessionId).putLong(slot).array());
        return ByteBuffer.wrap(mac.doFinal()).getLong();
    }
}
