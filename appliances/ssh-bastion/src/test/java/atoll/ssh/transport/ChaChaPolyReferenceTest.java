package atoll.ssh.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * {@link ChaChaPolyCipher} (the JDK's RFC 8439 ChaCha20 with a zero-padded nonce) against the
 * construction written out with Bouncy Castle's original ChaCha20 (64-bit nonce, 64-bit counter),
 * which is the layout OpenSSH's PROTOCOL.chacha20poly1305 specifies.
 */
class ChaChaPolyReferenceTest {
    @Test
    void sameOctetsAsTheOriginalLayout() throws Exception {
        Random r = new Random(8439);
        byte[] key = new byte[64];
        r.nextBytes(key);
        for (int sequence : new int[] {0, 1, 7, 0x7fffffff, -1}) {
            for (int packetLength : new int[] {8, 16, 1024, 32768 + 16}) {
                byte[] packet = new byte[4 + packetLength + 16];
                r.nextBytes(packet);
                Bytes.putInt(packet, 0, packetLength);
                byte[] ours = packet.clone();
                new ChaChaPolyCipher(key).seal(sequence, ours, 0, packetLength);
                assertArrayEquals(reference(key, sequence, packet, packetLength), ours,
                        "sequence " + sequence + ", length " + packetLength);
            }
        }
    }

    static byte[] reference(byte[] key, int sequence, byte[] plain, int packetLength) {
        byte[] out = plain.clone();
        byte[] iv = new byte[8];
        Bytes.putInt(iv, 4, sequence);
        ChaChaEngine header = new ChaChaEngine(20);
        header.init(true, new ParametersWithIV(new KeyParameter(key, 32, 32), iv));
        header.processBytes(out, 0, 4, out, 0);
        ChaChaEngine main = new ChaChaEngine(20);
        main.init(true, new ParametersWithIV(new KeyParameter(key, 0, 32), iv));
        byte[] block0 = new byte[64];
        main.processBytes(new byte[64], 0, 64, block0, 0);
        main.processBytes(out, 4, packetLength, out, 4);
        Poly1305 poly = new Poly1305();
        poly.init(new KeyParameter(Arrays.copyOf(block0, 32)));
        poly.update(out, 0, 4 + packetLength);
        poly.doFinal(out, 4 + packetLength);
        return out;
    }
}
