package atoll.ssh.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * {@link AesCtrEtmCipher} (JDK AES-CTR and HMAC) against Bouncy Castle's AES engine in SIC
 * (counter) mode and its HMAC, computed here from the OpenSSH PROTOCOL §1.5 layout: the tag is
 * HMAC(uint32 seq || uint32 length || ciphertext), the counter runs on across packets.
 */
class AesCtrEtmReferenceTest {

    @Test
    void threePacketsMatchTheReference() throws Exception {
        for (String mac : new String[] {AesCtrEtmCipher.HMAC_SHA2_256_ETM, AesCtrEtmCipher.HMAC_SHA2_512_ETM}) {
            Random r = new Random(4344);
            byte[] key = new byte[32];
            byte[] iv = new byte[16];
            byte[] macKey = new byte[AesCtrEtmCipher.macKeyLength(mac)];
            r.nextBytes(key);
            r.nextBytes(iv);
            r.nextBytes(macKey);
            AesCtrEtmCipher ours = new AesCtrEtmCipher("aes256-ctr", mac, key, iv, macKey, true);
            SICBlockCipher ctr = new SICBlockCipher(AESEngine.newInstance());
            ctr.init(true, new ParametersWithIV(new KeyParameter(key), iv));
            HMac hmac = new HMac(mac.equals(AesCtrEtmCipher.HMAC_SHA2_512_ETM) ? new SHA512Digest() : new SHA256Digest());
            hmac.init(new KeyParameter(macKey));
            int sequence = 7;
            for (int packetLength : new int[] {16, 48, 1024}) {
                byte[] plain = new byte[4 + packetLength + ours.tagLength()];
                Bytes.putInt(plain, 0, packetLength);
                for (int i = 4; i < 4 + packetLength; i++) {
                    plain[i] = (byte) r.nextInt();
                }
                byte[] sealed = plain.clone();
                ours.seal(sequence, sealed, 0, packetLength);
                byte[] expected = Arrays.copyOf(plain, 4 + packetLength);
                ctr.processBytes(plain, 4, packetLength, expected, 4);
                assertArrayEquals(expected, Arrays.copyOf(sealed, 4 + packetLength), mac + " ciphertext " + packetLength);
                byte[] seq = new byte[4];
                Bytes.putInt(seq, 0, sequence);
                hmac.update(seq, 0, 4);
                hmac.update(expected, 0, expected.length);
                byte[] tag = new byte[hmac.getMacSize()];
                hmac.doFinal(tag, 0);
                assertEquals(tag.length, ours.tagLength());
                assertArrayEquals(tag, Arrays.copyOfRange(sealed, 4 + packetLength, sealed.length), mac + " tag " + packetLength);
                sequence++;
            }
        }
    }
}
