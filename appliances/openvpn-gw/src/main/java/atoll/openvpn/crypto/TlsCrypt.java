package atoll.openvpn.crypto;

import atoll.openvpn.wire.ControlPacket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * tls-crypt control-channel protection (OpenVPN's {@code tls_crypt.c} and its {@code
 * doc/tls-crypt-v2.txt}): every control packet is authenticated with HMAC-SHA256 and its body
 * encrypted with AES-256-CTR, keys from a pre-shared {@link StaticKey}.
 *
 * <pre>
 * +--------+----------------+----------------+--------------+------------------+--------------------+
 * | op|kid | session id (8) | packet id (4)  | net time (4) | HMAC tag (32)    | AES-256-CTR(body)  |
 * +--------+----------------+----------------+--------------+------------------+--------------------+
 *   tag = HMAC-SHA256(Ka, op|kid, session id, packet id, net time, body); CTR IV = tag[0..16)
 * </pre>
 *
 * The server uses key 0 to send and key 1 to receive; the client the other way round (OpenVPN's
 * {@code KEY_DIRECTION_NORMAL} for the server, {@code KEY_DIRECTION_INVERSE} for the client).
 * Instances are not thread-safe (one per event loop).
 */
public final class TlsCrypt implements ControlProtection {
    /** HMAC-SHA256's tag length. */
    private static final int TAG = 32;
    /** Octets added to a control packet: packet id, net time and tag. */
    public static final int OVERHEAD = 4 + 4 + TAG;
    /** tls-crypt uses AES-256: its first 32 octets of the 64-octet cipher key. */
    private static final int CIPHER_KEY_LENGTH = 32;
    /** HMAC-SHA256: the first 32 octets of the 64-octet HMAC key. */
    private static final int HMAC_KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;

    public enum Role {
        SERVER(0, 1),
        CLIENT(1, 0);

        final int sendKey;
        final int receiveKey;

        Role(int send, int receive) {
            this.sendKey = send;
            this.receiveKey = receive;
        }
    }

    private final SecretKeySpec sendCipher;
    private final SecretKeySpec sendHmac;
    private final SecretKeySpec receiveCipher;
    private final SecretKeySpec receiveHmac;
    private final Mac mac;
    private final Cipher ctr;

    public TlsCrypt(StaticKey key, Role role) {
        sendCipher = new SecretKeySpec(key.cipherKey(role.sendKey, CIPHER_KEY_LENGTH), "AES");
        sendHmac = new SecretKeySpec(key.hmacKey(role.sendKey, HMAC_KEY_LENGTH), "HmacSHA256");
        receiveCipher = new SecretKeySpec(key.cipherKey(role.receiveKey, CIPHER_KEY_LENGTH), "AES");
        receiveHmac = new SecretKeySpec(key.hmacKey(role.receiveKey, HMAC_KEY_LENGTH), "HmacSHA256");
        try {
            mac = Mac.getInstance("HmacSHA256");
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256 or AES/CTR", e);
        }
    }

    /** Wraps {@code packet} for sending with tls-crypt packet id {@code packetId} and {@code netTime}. */
    @Override
    public byte[] wrap(ControlPacket packet, long packetId, long netTime) {
        byte[] body = packet.bodyBytes();
        ByteBuffer out = ByteBuffer.allocate(ControlPacket.HEADER_LENGTH + OVERHEAD + body.length);
        packet.writeHeader(out);
        out.putInt((int) packetId).putInt((int) netTime);
        try {
            mac.init(sendHmac);
            mac.update(out.array(), 0, ControlPacket.HEADER_LENGTH + 8);
            byte[] tag = mac.doFinal(body);
            out.put(tag);
            ctr.init(Cipher.ENCRYPT_MODE, sendCipher, new IvParameterSpec(tag, 0, IV_LENGTH));
            ctr.doFinal(body, 0, body.length, out.array(), out.position());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out.array();
    }

    /**
     * Authenticates and decrypts a received packet. Nothing is kept: replay checking is the
     * caller's, with {@link Authentic#packetId()}. The body is decrypted before its tag can be
     * checked (tls-crypt authenticates the plaintext); nothing is parsed from it before.
     */
    @Override
    public Unwrapped unwrap(byte[] datagram, int offset, int length) {
        int header = ControlPacket.HEADER_LENGTH + 8;
        if (length < header + TAG + 1) {
            return new Rejected("shorter than a tls-crypt packet: " + length);
        }
        byte[] body = new byte[length - header - TAG];
        try {
            ctr.init(Cipher.DECRYPT_MODE, receiveCipher, new IvParameterSpec(datagram, offset + header, IV_LENGTH));
            ctr.doFinal(datagram, offset + header + TAG, body.length, body, 0);
            mac.init(receiveHmac);
            mac.update(datagram, offset, header);
            byte[] tag = mac.doFinal(body);
            // Constant time: a tag compared octet by octet until the first difference leaks it.
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(datagram, offset + header, offset + header + TAG))) {
                return new Rejected("bad tls-crypt tag");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer h = ByteBuffer.wrap(datagram, offset, header);
        int first = h.get() & 0xff;
        long session = h.getLong();
        long packetId = h.getInt() & 0xffffffffL;
        long netTime = h.getInt() & 0xffffffffL;
        try {
            return new Authentic(ControlPacket.parseBody(first, session, ByteBuffer.wrap(body)), packetId, netTime);
        } catch (atoll.openvpn.wire.PacketFormatException e) {
            return new Rejected("authentic but malformed: " + e.getMessage());
        }
    }
}
