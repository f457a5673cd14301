package atoll.ssh.transport;

import atoll.ssh.wire.DisconnectReason;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305): a 64-octet key split into K_2
 * (first 32, payload and Poly1305 key) and K_1 (last 32, the length); ChaCha20 with a 64-bit nonce,
 * the packet sequence number, and a 64-bit block counter. The Poly1305 key is the first 32 octets
 * of K_2's keystream at counter 0; the payload is encrypted from counter 1; the tag covers the
 * encrypted length and the encrypted packet.
 */
public final class ChaChaPolyCipher implements PacketCipher {
    public static final String NAME = "chacha20-poly1305@openssh.com";
    static final int TAG = 16;

    private final KeyParameter mainKey;
    private final KeyParameter headerKey;
    private final ChaChaEngine main = new ChaChaEngine(20);
    private final ChaChaEngine header = new ChaChaEngine(20);
    private final Poly1305 poly = new Poly1305();
    private final byte[] nonce = new byte[8];
    private final byte[] polyKey = new byte[64];
    private final byte[] zeros = new byte[64];
    private final byte[] tag = new byte[TAG];
    private final byte[] length = new byte[4];

    public ChaChaPolyCipher(byte[] key64) {
        this.mainKey = new KeyParameter(key64, 0, 32);
        this.headerKey = new KeyParameter(key64, 32, 32);
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

    private void nonce(int sequence) {
        Bytes.putInt(nonce, 0, 0);
        Bytes.putInt(nonce, 4, sequence);
    }

    @Override
    public int packetLength(int sequence, byte[] buf, int off) {
        nonce(sequence);
        header.init(false, new ParametersWithIV(headerKey, nonce));
        header.processBytes(buf, off, 4, length, 0);
        return Bytes.getInt(length, 0);
    }

    private void startMain(int sequence, boolean encrypt) {
        nonce(sequence);
        main.init(encrypt, new ParametersWithIV(mainKey, nonce));
        // Counter 0 gives the Poly1305 key; the rest of that block is discarded, so the payload
        // starts at counter 1.
        main.processBytes(zeros, 0, 64, polyKey, 0);
        poly.init(new KeyParameter(polyKey, 0, 32));
    }

    @Override
    public void open(int sequence, byte[] buf, int off, int packetLength) throws SshDisconnect {
        startMain(sequence, false);
        poly.update(buf, off, 4 + packetLength);
        poly.doFinal(tag, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG, tag, 0, buf, off + 4 + packetLength)) {
            throw new SshDisconnect(DisconnectReason.MAC_ERROR, "corrupted MAC on input");
        }
        Bytes.putInt(buf, off, packetLength);
        main.processBytes(buf, off + 4, packetLength, buf, off + 4);
    }

    @Override
    public void seal(int sequence, byte[] buf, int off, int packetLength) {
        nonce(sequence);
        header.init(true, new ParametersWithIV(headerKey, nonce));
        header.processBytes(buf, off, 4, buf, off);
        startMain(sequence, true);
        main.processBytes(buf, off + 4, packetLength, buf, off + 4);
        poly.update(buf, off, 4 + packetLength);
        poly.doFinal(buf, off + 4 + packetLength);
    }

    @Override
    public String name() {
        return NAME;
    }
}
