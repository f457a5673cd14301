package atoll.openvpn.data;

import atoll.openvpn.crypto.PacketIdWindow;
import atoll.openvpn.wire.Opcode;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key id's data channel in both directions: DATA_V2 packets sealed with an AEAD cipher (OpenVPN's
 * {@code crypto.c}, AEAD mode).
 *
 * <pre>
 * +--------+-------------+---------------+------------+-------------------+
 * | op|kid | peer id (3) | packet id (4) | tag (16)   | ciphertext        |
 * +--------+-------------+---------------+------------+-------------------+
 *   nonce = packet id || implicit IV (8);  associated data = op|kid, peer id, packet id
 * </pre>
 *
 * Outgoing packet ids count from 1; a received packet's id is checked against the replay window
 * before any decryption and recorded only once the tag verified. Not thread-safe. Allocates per
 * packet (arrays for the JDK's cipher API): the zero-copy path of DESIGN §4 is not done yet.
 */
public final class DataChannel {
    /** Octets in front of the ciphertext. */
    public static final int OVERHEAD = 4 + 4 + DataCipher.TAG_LENGTH;
    /** OpenVPN's 24-bit peer id; 0xffffff means "none". */
    public static final int MAX_PEER_ID = 0xfffffe;

    /** What {@link #open} made of a packet. */
    public sealed interface Opened {}

    /** Authentic and fresh: the plaintext (an IPv4 packet, or OpenVPN's ping). */
    public record Plaintext(byte[] octets, long packetId) implements Opened {}

    /** Dropped: too short, wrong opcode/key/peer, replayed, or a bad tag. */
    public record Dropped(Reason reason) implements Opened {}

    public enum Reason { SHORT, NOT_OURS, REPLAY, BAD_TAG, EXHAUSTED }

    private final DataCipher cipher;
    private final int keyId;
    private final int peerId;
    private final SecretKeySpec sendKey;
    private final byte[] sendIv;
    private final SecretKeySpec receiveKey;
    private final byte[] receiveIv;
    private final Cipher sealer;
    private final Cipher opener;
    private final PacketIdWindow replay = new PacketIdWindow();
    private long nextPacketId = 1;

    public DataChannel(DataCipher cipher, int keyId, int peerId, byte[] sendKey, byte[] sendImplicitIv,
            byte[] receiveKey, byte[] receiveImplicitIv) {
        if (peerId < 0 || peerId > MAX_PEER_ID) {
            throw new IllegalArgumentException("peer id " + peerId);
        }
        if (sendKey.length != cipher.keyLength() || receiveKey.length != cipher.keyLength()
                || sendImplicitIv.length != DataCipher.IMPLICIT_IV_LENGTH
                || receiveImplicitIv.length != DataCipher.IMPLICIT_IV_LENGTH) {
            throw new IllegalArgumentException("key or implicit IV of the wrong length for " + cipher.openvpnName());
        }
        this.cipher = cipher;
        this.keyId = keyId;
        this.peerId = peerId;
        this.sendKey = new SecretKeySpec(sendKey, cipher.keyAlgorithm);
        this.sendIv = sendImplicitIv.clone();
        this.receiveKey = new SecretKeySpec(receiveKey, cipher.keyAlgorithm);
        this.receiveIv = receiveImplicitIv.clone();
        try {
            this.sealer = Cipher.getInstance(cipher.transformation);
            this.opener = Cipher.getInstance(cipher.transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + cipher.transformation, e);
        }
    }

    /** The peer id a DATA_V2 packet carries: octets 1..3. */
    public static int peerIdOf(byte[] packet, int offset) {
        return ((packet[offset + 1] & 0xff) << 16) | ((packet[offset + 2] & 0xff) << 8) | (packet[offset + 3] & 0xff);
    }

    /**
     * Seals {@code plaintext} into a DATA_V2 packet.
     *
     * @throws IllegalStateException when the 32-bit packet id space is used up (the key must be
     *     renegotiated long before: OpenVPN renegotiates by then, and so must the caller)
     */
    public byte[] seal(byte[] plaintext, int offset, int length) {
        if (nextPacketId > 0xffffffffL) {
            throw new IllegalStateException("packet ids exhausted: renegotiate");
        }
        long id = nextPacketId++;
        byte[] out = new byte[OVERHEAD + length];
        ByteBuffer head = ByteBuffer.wrap(out);
        head.putInt((Opcode.DATA_V2.firstOctet(keyId) << 24) | peerId).putInt((int) id);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, sendKey, params(id, sendIv));
            sealer.updateAAD(out, 0, 8);
            byte[] sealed = sealer.doFinal(plaintext, offset, length); // ciphertext || tag
            System.arraycopy(sealed, length, out, 8, DataCipher.TAG_LENGTH);
            System.arraycopy(sealed, 0, out, OVERHEAD, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Opens a received DATA_V2 packet. Never throws for any content. */
    public Opened open(byte[] packet, int offset, int length) {
        if (length < OVERHEAD) {
            return new Dropped(Reason.SHORT);
        }
        if ((packet[offset] & 0xff) != Opcode.DATA_V2.firstOctet(keyId) || peerIdOf(packet, offset) != peerId) {
            return new Dropped(Reason.NOT_OURS);
        }
        long id = ByteBuffer.wrap(packet, offset + 4, 4).getInt() & 0xffffffffL;
        // Replay check first: a replayed packet costs no decryption.
        if (!replay.isFresh(id)) {
            return new Dropped(Reason.REPLAY);
        }
        int n = length - OVERHEAD;
        byte[] sealed = new byte[n + DataCipher.TAG_LENGTH];
        System.arraycopy(packet, offset + OVERHEAD, sealed, 0, n);
        System.arraycopy(packet, offset + 8, sealed, n, DataCipher.TAG_LENGTH);
        byte[] plain;
        try {
            opener.init(Cipher.DECRYPT_MODE, receiveKey, params(id, receiveIv));
            opener.updateAAD(packet, offset, 8);
            plain = opener.doFinal(sealed);
        } catch (AEADBadTagException e) {
            return new Dropped(Reason.BAD_TAG);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        replay.accept(id);
        return new Plaintext(plain, id);
    }

    private java.security.spec.AlgorithmParameterSpec params(long packetId, byte[] implicitIv) {
        byte[] nonce = ByteBuffer.allocate(DataCipher.NONCE_LENGTH).putInt((int) packetId).put(implicitIv).array();
        return cipher == DataCipher.CHACHA20_POLY1305 ? new IvParameterSpec(nonce)
                : new GCMParameterSpec(8 * DataCipher.TAG_LENGTH, nonce);
    }

    public DataCipher cipher() {
        return cipher;
    }
}
