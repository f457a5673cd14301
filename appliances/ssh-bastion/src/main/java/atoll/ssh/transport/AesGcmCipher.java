package atoll.ssh.transport;

import atoll.ssh.wire.DisconnectReason;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * aes128-gcm@openssh.com and aes256-gcm@openssh.com (RFC 5647 with OpenSSH's names), on the JDK's
 * AES-GCM (AES-NI where the CPU has it).
 *
 * <p>RFC 5647 §7.1: the packet_length is not encrypted but is authenticated as additional data;
 * §7.3: the 12-octet nonce is a 4-octet fixed field and an 8-octet invocation counter, incremented
 * after each packet.
 */
public final class AesGcmCipher implements PacketCipher {
    /** RFC 5647 §6.3: the tag is 16 octets. */
    static final int TAG = 16;
    /** RFC 5647 §7.2: the block size for padding is 16. */
    static final int BLOCK = 16;

    private final String name;
    private final SecretKeySpec key;
    private final byte[] nonce;
    private final Cipher cipher;
    private final int mode;

    public AesGcmCipher(String name, byte[] key, byte[] iv12, boolean encrypt) {
        this.name = name;
        this.key = new SecretKeySpec(key, "AES");
        this.nonce = iv12.clone();
        this.mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/GCM", e);
        }
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public boolean lengthExcludedFromPadding() {
        return true;
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    @Override
    public int packetLength(int sequence, byte[] buf, int off) {
        return Bytes.getInt(buf, off);
    }

    private void init() throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(TAG * 8, nonce));
        // RFC 5647 §7.1: invocation_counter is incremented as a 64-bit big-endian integer, mod 2^64.
        for (int i = 11; i >= 4; i--) {
            if (++nonce[i] != 0) {
                break;
            }
        }
    }

    @Override
    public void open(int sequence, byte[] buf, int off, int packetLength) throws SshDisconnect {
        try {
            init();
            cipher.updateAAD(buf, off, 4);
            cipher.doFinal(buf, off + 4, packetLength + TAG, buf, off + 4);
        } catch (AEADBadTagException e) {
            throw new SshDisconnect(DisconnectReason.MAC_ERROR, "corrupted MAC on input");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void seal(int sequence, byte[] buf, int off, int packetLength) {
        try {
            init();
            cipher.updateAAD(buf, off, 4);
            cipher.doFinal(buf, off + 4, packetLength, buf, off + 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }
}
