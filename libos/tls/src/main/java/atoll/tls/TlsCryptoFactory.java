package atoll.tls;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.KeyGenerator;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle's JCA-backed TLS crypto with the JDK's providers for everything they do (AES-GCM
 * on AES-NI, ChaCha20-Poly1305, X25519, ECDSA, RSA, HKDF's HMAC) and Bouncy Castle's provider for
 * ML-KEM, whose TLS glue in Bouncy Castle needs its own key specs (KEMGenerateSpec), and for
 * any signature algorithm the JDK does not list under Bouncy Castle's name (RSASSA-PSS).
 */
final class TlsCryptoFactory {
    private TlsCryptoFactory() {}

    /**
     * Bouncy Castle's provider, made at its first use (an ML-KEM share, an RSASSA-PSS signature)
     * rather than when the first server is built: constructing it registers every algorithm it
     * has (about 900 classes loaded), a cost the start-up should not pay.
     */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
        static final ProviderJcaJceHelper HELPER = new ProviderJcaJceHelper(PROVIDER);
    }

    static JcaTlsCrypto create(SecureRandom random) {
        return new JcaTlsCryptoProvider() {
            private final JcaJceHelper helper = new MlKemFromBouncyCastle();

            @Override
            public JcaJceHelper getHelper() {
                return helper;
            }
        }.create(random, random);
    }

    /** The JDK's providers, except ML-KEM from Bouncy Castle. */
    private static final class MlKemFromBouncyCastle extends DefaultJcaJceHelper {
        private static boolean mlKem(String algorithm) {
            return algorithm.regionMatches(true, 0, "ML-KEM", 0, 6);
        }

        @Override
        public KeyGenerator createKeyGenerator(String algorithm) throws NoSuchAlgorithmException {
            return mlKem(algorithm) ? Bc.HELPER.createKeyGenerator(algorithm) : super.createKeyGenerator(algorithm);
        }

        @Override
        public KeyFactory createKeyFactory(String algorithm) throws NoSuchAlgorithmException {
            return mlKem(algorithm) ? Bc.HELPER.createKeyFactory(algorithm) : super.createKeyFactory(algorithm);
        }

        /**
         * Bouncy Castle names RSASSA-PSS signatures "SHA256withRSASSA-PSS" and the like, which the
         * JDK does not list: fall back to Bouncy Castle's provider for what the JDK lacks.
         */
        @Override
        public java.security.Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
            try {
                return super.createSignature(algorithm);
            } catch (NoSuchAlgorithmException absent) {
                return Bc.HELPER.createSignature(algorithm);
            }
        }

        @Override
        public KeyPairGenerator createKeyPairGenerator(String algorithm) throws NoSuchAlgorithmException {
            return mlKem(algorithm) ? Bc.HELPER.createKeyPairGenerator(algorithm) : super.createKeyPairGenerator(algorithm);
        }
    }
}
