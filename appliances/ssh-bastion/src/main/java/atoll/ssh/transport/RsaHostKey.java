package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.SshWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;

/**
 * An RSA host key signing with rsa-sha2-512 and rsa-sha2-256 (RFC 8332), never SHA-1 ssh-rsa.
 * The blob is RFC 4253 §6.6's: string "ssh-rsa", mpint e, mpint n.
 */
public final class RsaHostKey implements ServerHostKey {
    /** RFC 8332 §3 names. */
    public static final List<String> ALGORITHMS = List.of("rsa-sha2-512", "rsa-sha2-256");
    /** NIST SP 800-57 Part 1 Table 2: 3072 bits for 128-bit security, as ssh-keygen's default. */
    public static final int BITS = 3072;

    private final RSAPrivateCrtKey key;
    private final List<String> algorithms;
    private final byte[] blob;

    public RsaHostKey(byte[] pkcs8, List<String> algorithms) throws GeneralSecurityException {
        this.key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        if (key.getModulus().bitLength() < 2048) {
            throw new GeneralSecurityException("RSA host key of " + key.getModulus().bitLength() + " bits; at least 2048 needed");
        }
        for (String a : algorithms) {
            if (!ALGORITHMS.contains(a)) {
                throw new IllegalArgumentException("not an RSA signature algorithm: " + a);
            }
        }
        this.algorithms = List.copyOf(algorithms);
        this.blob = new SshWriter(BITS / 8 + 32).string("ssh-rsa").mpint(key.getPublicExponent()).mpint(key.getModulus())
                .toByteArray();
    }

    /** A new key's PKCS#8 encoding, from the entropy device. */
    public static byte[] generate(Entropy entropy) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(BITS, new EntropyRandom(entropy));
        return g.generateKeyPair().getPrivate().getEncoded();
    }

    @Override
    public String keyType() {
        return "ssh-rsa";
    }

    @Override
    public List<String> algorithms() {
        return algorithms;
    }

    @Override
    public byte[] publicBlob() {
        return blob.clone();
    }

    @Override
    public byte[] sign(String algorithm, byte[] data) {
        try {
            // RFC 8332 §3: rsa-sha2-256 is RSASSA-PKCS1-v1_5 with SHA-256, rsa-sha2-512 with SHA-512.
            Signature s = Signature.getInstance(algorithm.equals("rsa-sha2-512") ? "SHA512withRSA" : "SHA256withRSA");
            s.initSign(key);
            s.update(data);
            return new SshWriter(BITS / 8 + 32).string(algorithm).string(s.sign()).toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half, for tests. */
    java.security.PublicKey publicKey() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    }
}
