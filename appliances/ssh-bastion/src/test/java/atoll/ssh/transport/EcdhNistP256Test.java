package atoll.ssh.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.entropy.Entropies;
import atoll.ssh.auth.PublicKeys;
import atoll.ssh.wire.DisconnectReason;
import atoll.ssh.wire.SshWriter;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

/**
 * ecdh-sha2-nistp256 (RFC 5656 §4) against the JDK's own ECDH on P-256 as the client, and the
 * validation of Q_C; the ecdsa-sha2-nistp256 host key's signatures checked by the user-key verifier.
 */
class EcdhNistP256Test {

    static byte[] uncompressed(ECPublicKey k) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = k.getW().getAffineX().toByteArray();
        byte[] y = k.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), out, 1 + Math.max(0, 32 - x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), out, 33 + Math.max(0, 32 - y.length), Math.min(32, y.length));
        return out;
    }

    @Test
    void sharedSecretMatchesTheJdkClient() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        for (int round = 0; round < 5; round++) {
            var client = g.generateKeyPair();
            KeyExchange.Reply reply = KeyExchange.ECDH_SHA2_NISTP256.reply(uncompressed((ECPublicKey) client.getPublic()),
                    Entropies.seeded(round));
            assertEquals(65, reply.serverPublic().length);
            assertEquals(4, reply.serverPublic()[0]);
            var params = ((ECPublicKey) client.getPublic()).getParams();
            ECPoint qs = new ECPoint(new BigInteger(1, Arrays.copyOfRange(reply.serverPublic(), 1, 33)),
                    new BigInteger(1, Arrays.copyOfRange(reply.serverPublic(), 33, 65)));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(client.getPrivate());
            ka.doPhase(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(qs, params)), true);
            byte[] x = ka.generateSecret();
            // RFC 5656 §4: K is the x coordinate as an mpint.
            assertArrayEquals(new SshWriter().mpintUnsigned(x).toByteArray(), reply.encodedSecret());
        }
    }

    @Test
    void invalidClientPointsEndTheKeyExchange() {
        byte[] offCurve = new byte[65];
        offCurve[0] = 4;
        offCurve[64] = 1;
        byte[] compressed = new byte[33];
        compressed[0] = 2;
        for (byte[] bad : new byte[][] {offCurve, compressed, new byte[0], new byte[66]}) {
            SshDisconnect e = assertThrows(SshDisconnect.class,
                    () -> KeyExchange.ECDH_SHA2_NISTP256.reply(bad, Entropies.seeded(1)));
            assertEquals(DisconnectReason.KEY_EXCHANGE_FAILED, e.reason);
        }
    }

    @Test
    void ecdsaHostKeySignsWhatTheVerifierAccepts() {
        EcdsaHostKey key = new EcdsaHostKey(EcdsaHostKey.generate(Entropies.seeded(3)));
        byte[] data = "exchange hash".getBytes();
        byte[] signature = key.sign(EcdsaHostKey.ALGORITHM, data);
        assertTrue(PublicKeys.verify(key.publicBlob(), EcdsaHostKey.ALGORITHM, signature, data));
        assertTrue(!PublicKeys.verify(key.publicBlob(), EcdsaHostKey.ALGORITHM, signature, "other".getBytes()));
        assertTrue(key.openSshPublic().startsWith("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABB"));
    }
}
