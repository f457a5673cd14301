package atoll.ssh.transport;

import atoll.ssh.wire.DisconnectReason;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * aes128-ctr and aes256-ctr (RFC 4344 §4) with hmac-sha2-256-etm@openssh.com or
 * hmac-sha2-512-etm@openssh.com (OpenSSH PROTOCOL §1.5, "encrypt then MAC"), on the JDK's AES-CTR
 * and HMAC.
 *
 * <pre>
 *   uint32    packet_length      in the clear, covered by the MAC
 *   byte[n]   encrypted packet   (padding_length, payload, padding), n a multiple of 16
 *   byte[m]   mac = MAC(key, uint32 sequence_number || packet_length || encrypted packet)
 * </pre>
 *
 * <p>The counter runs on across packets (RFC 4344 §4: the counter X is incremented after each
 * block, never reset within a key), so one JDK cipher per direction keeps the state.
 */
public final class AesCtrEtmCipher implements PacketCipher {
    /** RFC 4344 §4: AES block size, the padding multiple. */
    static final int BLOCK = 16;
    /** RFC 6668 §2: hmac-sha2-256 has a 32-octet digest and key, hmac-sha2-512 64. */
    public static final String HMAC_SHA2_256_ETM = "hmac-sha2-256-etm@openssh.com";
    public static final String HMAC_SHA2_512_ETM = "hmac-sha2-512-etm@openssh.com";

    private final String name;
    private final Cipher cipher;
    private final Mac mac;
    private final int tag;
    private final byte[] sequenceOctets = new byte[4];
    private final byte[] computed;
    private byte[] scratch = new byte[32 * 1024 + 64];

    /**
     * @param key the cipher key (16 or 32 octets), {@code iv} its 16-octet initial counter block
     * @param macKey the MAC key, as long as its digest (RFC 6668 §2)
     */
    public AesCtrEtmCipher(String cipherName, String macName, byte[] key, byte[] iv, byte[] macKey, boolean encrypt) {
        this.name = cipherName + "+" + macName;
        try {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new IvParameterSpec(iv));
            this.mac = Mac.getInstance(macName.equals(HMAC_SHA2_512_ETM) ? "HmacSHA512" : "HmacSHA256");
            mac.init(new SecretKeySpec(macKey, mac.getAlgorithm()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES-CTR or HMAC-SHA2", e);
        }
        this.tag = mac.getMacLength();
        this.computed = new byte[tag];
    }

    /** The key length a negotiated cipher name needs. */
    public static int keyLength(String cipherName) {
        return cipherName.equals("aes256-ctr") ? 32 : 16;
    }

    /** The MAC key length a negotiated MAC name needs (RFC 6668 §2: the digest length). */
    public static int macKeyLength(String macName) {
        return macName.equals(HMAC_SHA2_512_ETM) ? 64 : 32;
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    /** OpenSSH PROTOCOL §1.5: the clear length field is not part of the padding multiple. */
    @Override
    public boolean lengthExcludedFromPadding() {
        return true;
    }

    @Override
    public int tagLength() {
        return tag;
    }

    @Override
    public int packetLength(int sequence, byte[] buf, int off) {
        return Bytes.getInt(buf, off);
    }

    private void computeMac(int sequence, byte[] buf, int off, int packetLength) {
        Bytes.putInt(sequenceOctets, 0, sequence);
        mac.update(sequenceOctets);
        mac.update(buf, off, 4 + packetLength);
        try {
            mac.doFinal(computed, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void open(int sequence, byte[] buf, int off, int packetLength) throws SshDisconnect {
        // OpenSSH PROTOCOL §1.5: the MAC is checked before anything is decrypted.
        computeMac(sequence, buf, off, packetLength);
        int at = off + 4 + packetLength;
        // Compared in constant time, as MessageDigest.isEqual does, without copying the tag out.
        int difference = 0;
        for (int i = 0; i < tag; i++) {
            difference |= buf[at + i] ^ computed[i];
        }
        if (difference != 0) {
            throw new SshDisconnect(DisconnectReason.MAC_ERROR, "corrupted MAC on input");
        }
        crypt(buf, off + 4, packetLength);
    }

    @Override
    public void seal(int sequence, byte[] buf, int off, int packetLength) {
        crypt(buf, off + 4, packetLength);
        computeMac(sequence, buf, off, packetLength);
        System.arraycopy(computed, 0, buf, off + 4 + packetLength, tag);
    }

    /**
     * Through a reused scratch array: the JDK copies the input to a new array when it is asked to
     * work in place (overlapping input and output), which costs a packet-sized allocation each time.
     */
    private void crypt(byte[] buf, int off, int len) {
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, 2 * scratch.length)];
        }
        try {
            if (cipher.update(buf, off, len, scratch, 0) != len) {
                throw new IllegalStateException("AES-CTR held back output");
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(scratch, 0, buf, off, len);
    }

    @Override
    public String name() {
        return name;
    }
}
