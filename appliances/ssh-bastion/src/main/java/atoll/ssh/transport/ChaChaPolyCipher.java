package atoll.ssh.transport;

import atoll.ssh.wire.DisconnectReason;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305): a 64-octet key split into K_2
 * (first 32, payload and Poly1305 key) and K_1 (last 32, the length); ChaCha20 with a 64-bit nonce,
 * the packet sequence number, and a 64-bit block counter. The Poly1305 key is the first 32 octets
 * of K_2's keystream at counter 0; the payload is encrypted from counter 1; the tag covers the
 * encrypted length and the encrypted packet.
 *
 * <p>The keystream is the JDK's ChaCha20 (RFC 8439: 32-bit counter, 96-bit nonce), which has
 * vectorized intrinsics: with the nonce {@code 0x00000000 || uint64 sequence} and counters below
 * 2^32 it is the same keystream as the original 64/64 layout OpenSSH uses. Poly1305 is Bouncy
 * Castle's. The JDK refuses to re-use a key and nonce in encrypt mode; ChaCha20 is its own
 * inverse, so both directions run the cipher in decrypt mode (the nonce is unique per packet and
 * key by the protocol: sequence numbers never repeat under one key).
 */
public final class ChaChaPolyCipher implements PacketCipher {
    public static final String NAME = "chacha20-poly1305@openssh.com";
    static final int TAG = 16;

    private final SecretKeySpec mainKey;
    private final SecretKeySpec headerKey;
    private final Cipher main;
    private final Cipher header;
    private final Poly1305 poly = new Poly1305();
    private final byte[] nonce = new byte[12];
    private final byte[] polyKey = new byte[64];
    private final byte[] zeros = new byte[64];
    private final byte[] tag = new byte[TAG];
    private final byte[] length = new byte[4];

    public ChaChaPolyCipher(byte[] key64) {
        this.mainKey = new SecretKeySpec(key64, 0, 32, "ChaCha20");
        this.headerKey = new SecretKeySpec(key64, 32, 32, "ChaCha20");
        try {
            this.main = Cipher.getInstance("ChaCha20");
            this.header = Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no ChaCha20", e);
        }
    }

    @Override
    public int blockSize() {
        return 8;
    }

    @Override
    public boolean lengthExcludedFromPadding() {
        return true;
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    private void start(Cipher c, SecretKeySpec key, int sequence) {
        Bytes.putInt(nonce, 8, sequence);
        try {
            c.init(Cipher.DECRYPT_MODE, key, new ChaCha20ParameterSpec(nonce, 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int packetLength(int sequence, byte[] buf, int off) {
        start(header, headerKey, sequence);
        try {
            header.update(buf, off, 4, length, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return Bytes.getInt(length, 0);
    }

    private void startMain(int sequence) throws GeneralSecurityException {
        start(main, mainKey, sequence);
        // Counter 0 gives the Poly1305 key; the rest of that block is discarded, so the payload
        // starts at counter 1.
        main.update(zeros, 0, 64, polyKey, 0);
        poly.init(new KeyParameter(polyKey, 0, 32));
    }

    @Override
    public void open(int sequence, byte[] buf, int off, int packetLength) throws SshDisconnect {
        try {
            startMain(sequence);
            poly.update(buf, off, 4 + packetLength);
            poly.doFinal(tag, 0);
            if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG, tag, 0, buf, off + 4 + packetLength)) {
                throw new SshDisconnect(DisconnectReason.MAC_ERROR, "corrupted MAC on input");
            }
            Bytes.putInt(buf, off, packetLength);
            main.update(buf, off + 4, packetLength, buf, off + 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void seal(int sequence, byte[] buf, int off, int packetLength) {
        try {
            start(header, headerKey, sequence);
            header.update(buf, off, 4, buf, off);
            startMain(sequence);
            main.update(buf, off + 4, packetLength, buf, off + 4);
            poly.update(buf, off, 4 + packetLength);
            poly.doFinal(buf, off + 4 + packetLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }
}
