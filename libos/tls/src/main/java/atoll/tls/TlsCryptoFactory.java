package atoll.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
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
 * anything the JDK's providers lack (RSASSA-PSS under Bouncy Castle's signature names, say).
 *
 * <p>Lookups name their provider rather than walk the JCA's provider list. A walk that finds
 * nothing in the JDK's own providers goes on to the providers {@code java.security} lists whose
 * modules the jlinked runtime left out (SunJGSS, XMLDSig, SunPKCS11...), and loading each one
 * instantiates every provider on the module path, Bouncy Castle's three among them: a second of
 * CPU on the first handshake (Bouncy Castle probes cipher names the JDK does not have). What
 * is left is one walk when Bouncy Castle's provider is registered ({@link Bc}), at the first
 * handshake: Bouncy Castle's TLS probes "ChaCha7539", which only it has.
 */
final class TlsCryptoFactory {
    private TlsCryptoFactory() {}

    /** The JDK's providers always in {@code java.base}, in {@code java.security}'s order. */
    private static final List<Provider> JDK = jdkProviders();

    private static List<Provider> jdkProviders() {
        List<Provider> out = new ArrayList<>();
        for (String name : new String[] {"SUN", "SunRsaSign", "SunEC", "SunJSSE", "SunJCE"}) {
            Provider p = Security.getProvider(name); // loads this one provider, no walk
            if (p != null) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Bouncy Castle's provider, made at its first use (an ML-KEM share, an algorithm the JDK
     * lacks) rather than when the first server is built: constructing it registers every
     * algorithm it has (about 900 classes loaded), a cost the start-up should not pay.
     */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = registered(new BouncyCastleProvider());
        static final ProviderJcaJceHelper HELPER = new ProviderJcaJceHelper(PROVIDER);

        /**
         * Bouncy Castle's own ciphers look their provider up by name ({@code Security.getProvider("BC")}
         * in {@code BCJcaJceHelper}); unregistered, that is the walk described above, on every
         * such cipher made. Registered right after the JDK's built-in providers, the lookup stops
         * there, and the JDK's providers still come first for everything they have.
         */
        private static BouncyCastleProvider registered(BouncyCastleProvider bc) {
            // Once per process this walks the list itself (the JCA checks the name is not taken);
            // -1 when a provider of that name is registered already, which is as good.
            Security.insertProviderAt(bc, JDK.size() + 1);
            return bc;
        }
    }

    static JcaTlsCrypto create(SecureRandom random) {
        return new JcaTlsCryptoProvider() {
            private final JcaJceHelper helper = new JdkThenBouncyCastle();

            @Override
            public JcaJceHelper getHelper() {
                return helper;
            }
        }.create(random, random);
    }

    private interface Lookup<T> {
        T get(JcaJceHelper helper, String algorithm) throws GeneralSecurityException;
    }

    /** The first JDK provider with a service of {@code type} for {@code algorithm}, else Bouncy Castle's. */
    private static <T> T jdkThenBc(String type, String algorithm, Lookup<T> lookup) throws NoSuchAlgorithmException {
        // A Cipher transformation ("AES/GCM/NoPadding") is registered under its full name or its algorithm.
        String base = type.equals("Cipher") && algorithm.indexOf('/') > 0
                ? algorithm.substring(0, algorithm.indexOf('/')) : algorithm;
        for (Provider p : JDK) {
            if (p.getService(type, algorithm) != null || p.getService(type, base) != null) {
                try {
                    return lookup.get(new ProviderJcaJceHelper(p), algorithm);
                } catch (GeneralSecurityException notThisOne) {
                    // e.g. a mode or padding this provider lacks: try the next
                }
            }
        }
        try {
            return lookup.get(Bc.HELPER, algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw (NoSuchAlgorithmException) new NoSuchAlgorithmException(type + " " + algorithm).initCause(e);
        }
    }

    private static boolean mlKem(String algorithm) {
        return algorithm.regionMatches(true, 0, "ML-KEM", 0, 6);
    }

    /** The JDK's own providers by name, then Bouncy Castle's; ML-KEM from Bouncy Castle. */
    private static final class JdkThenBouncyCastle extends DefaultJcaJceHelper {
        @Override
        public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
            return jdkThenBc("Cipher", algorithm, JcaJceHelper::createCipher);
        }

        @Override
        public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
            return jdkThenBc("Mac", algorithm, JcaJceHelper::createMac);
        }

        @Override
        public KeyAgreement createKeyAgreement(String algorithm) throws NoSuchAlgorithmException {
            return jdkThenBc("KeyAgreement", algorithm, JcaJceHelper::createKeyAgreement);
        }

        @Override
        public java.security.AlgorithmParameters createAlgorithmParameters(String algorithm)
                throws NoSuchAlgorithmException {
            return jdkThenBc("AlgorithmParameters", algorithm, JcaJceHelper::createAlgorithmParameters);
        }

        @Override
        public KeyGenerator createKeyGenerator(String algorithm) throws NoSuchAlgorithmException {
            return mlKem(algorithm) ? bc(algorithm, JcaJceHelper::createKeyGenerator)
                    : jdkThenBc("KeyGenerator", algorithm, JcaJceHelper::createKeyGenerator);
        }

        @Override
        public KeyFactory createKeyFactory(String algorithm) throws NoSuchAlgorithmException {
            return mlKem(algorithm) ? bc(algorithm, JcaJceHelper::createKeyFactory)
                    : jdkThenBc("KeyFactory", algorithm, JcaJceHelper::createKeyFactory);
        }

        @Override
        public SecretKeyFactory createSecretKeyFactory(String algorithm) throws NoSuchAlgorithmException {
            return jdkThenBc("SecretKeyFactory", algorithm, JcaJceHelper::createSecretKeyFactory);
        }

        @Override
        public KeyPairGenerator createKeyPairGenerator(String algorithm) throws NoSuchAlgorithmException {
            return mlKem(algorithm) ? bc(algorithm, JcaJceHelper::createKeyPairGenerator)
                    : jdkThenBc("KeyPairGenerator", algorithm, JcaJceHelper::createKeyPairGenerator);
        }

        @Override
        public MessageDigest createDigest(String algorithm) throws NoSuchAlgorithmException {
            return jdkThenBc("MessageDigest", algorithm, JcaJceHelper::createDigest);
        }

        @Override
        public MessageDigest createMessageDigest(String algorithm) throws NoSuchAlgorithmException {
            return jdkThenBc("MessageDigest", algorithm, JcaJceHelper::createMessageDigest);
        }

        /** Bouncy Castle names RSASSA-PSS signatures "SHA256withRSASSA-PSS" and the like, which the JDK does not list. */
        @Override
        public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
            return jdkThenBc("Signature", algorithm, JcaJceHelper::createSignature);
        }

        private static <T> T bc(String algorithm, Lookup<T> lookup) throws NoSuchAlgorithmException {
            try {
                return lookup.get(Bc.HELPER, algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw e;
            } catch (GeneralSecurityException e) {
                throw (NoSuchAlgorithmException) new NoSuchAlgorithmException(algorithm).initCause(e);
            }
        }
    }
}
