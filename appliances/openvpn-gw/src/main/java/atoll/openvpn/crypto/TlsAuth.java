package atoll.openvpn.crypto;

import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.PacketFormatException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * tls-auth control-channel authentication (OpenVPN's {@code --tls-auth}, {@code ssl_pkt.c} and
 * {@code crypto.c}): an HMAC over every control packet, keyed from a pre-shared {@link StaticKey}.
 * The body stays in clear.
 *
 * <pre>
 * +--------+----------------+--------------+---------------+--------------+------------------+
 * | op|kid | session id (8) | HMAC (H)     | packet id (4) | net time (4) | body (clear)     |
 * +--------+----------------+--------------+---------------+--------------+------------------+
 *   HMAC = HMAC-digest(Kh, packet id, net time, op|kid, session id, body)
 * </pre>
 *
 * The HMAC key is the first H octets (the digest's size) of a key's 64-octet HMAC part. With
 * {@code key-direction 0} (what a server conventionally uses) key 0 signs what we send and key 1
 * what we receive; direction 1 the other way; no direction signs both ways with key 0.
 */
public final class TlsAuth implements ControlProtection {
    /** OpenVPN's {@code --auth} digests offered here; SHA1 is OpenVPN's default. */
    public enum Digest {
        SHA1("HmacSHA1", 20),
        SHA256("HmacSHA256", 32),
        SHA512("HmacSHA512", 64);

        final String jca;
        final int length;

        Digest(String jca, int length) {
            this.jca = jca;
            this.length = length;
        }

        public static Digest parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace("-", ""));
        }
    }

    /** OpenVPN's {@code --key-direction}. */
    public enum Direction {
        NORMAL(0, 1),
        INVERSE(1, 0),
        BIDIRECTIONAL(0, 0);

        final int sendKey;
        final int receiveKey;

        Direction(int send, int receive) {
            this.sendKey = send;
            this.receiveKey = receive;
        }
    }

    private final Digest digest;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final Mac mac;

    public TlsAuth(StaticKey key, Direction direction, Digest digest) {
        this.digest = digest;
        this.sendKey = new SecretKeySpec(key.hmacKey(direction.sendKey, digest.length), digest.jca);
        this.receiveKey = new SecretKeySpec(key.hmacKey(direction.receiveKey, digest.length), digest.jca);
        try {
            this.mac = Mac.getInstance(digest.jca);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + digest.jca, e);
        }
    }

    /** Octets added to a control packet: HMAC, packet id and net time. */
    public int overhead() {
        return digest.length + 8;
    }

    @Override
    public byte[] wrap(ControlPacket packet, long packetId, long netTime) {
        byte[] body = packet.bodyBytes();
        byte[] ids = ByteBuffer.allocate(8).putInt((int) packetId).putInt((int) netTime).array();
        ByteBuffer out = ByteBuffer.allocate(ControlPacket.HEADER_LENGTH + overhead() + body.length);
        packet.writeHeader(out);
        byte[] tag = tag(sendKey, ids, 0, out.array(), 0, body, 0, body.length);
        out.put(tag).put(ids).put(body);
        return out.array();
    }

    @Override
    public Unwrapped unwrap(byte[] datagram, int offset, int length) {
        int h = ControlPacket.HEADER_LENGTH;
        int bodyAt = h + digest.length + 8;
        if (length < bodyAt + 1) {
            return new Rejected("shorter than a tls-auth packet: " + length);
        }
        byte[] tag = tag(receiveKey, datagram, offset + h + digest.length, datagram, offset, datagram,
                offset + bodyAt, length - bodyAt);
        // Constant time, as for any MAC check.
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(datagram, offset + h, offset + h + digest.length))) {
            return new Rejected("bad tls-auth HMAC");
        }
        ByteBuffer in = ByteBuffer.wrap(datagram, offset, length);
        int first = in.get() & 0xff;
        long session = in.getLong();
        in.position(in.position() + digest.length);
        long packetId = in.getInt() & 0xffffffffL;
        long netTime = in.getInt() & 0xffffffffL;
        try {
            return new Authentic(ControlPacket.parseBody(first, session, in.slice()), packetId, netTime);
        } catch (PacketFormatException e) {
            return new Rejected("authentic but malformed: " + e.getMessage());
        }
    }

    private byte[] tag(SecretKeySpec key, byte[] ids, int idsAt, byte[] header, int headerAt, byte[] body, int bodyAt,
            int bodyLength) {
        try {
            mac.init(key);
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        mac.update(ids, idsAt, 8);
        mac.update(header, headerAt, ControlPacket.HEADER_LENGTH);
        mac.update(body, bodyAt, bodyLength);
        return mac.doFinal();
    }
}
