package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.SshWriter;
import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * An ecdsa-sha2-nistp256 host key (RFC 5656 §3.1); off by default (see the README). Signatures
 * are deterministic (RFC 6979 nonces from the key and the hash), so signing needs no randomness.
 */
public final class EcdsaHostKey implements ServerHostKey {
    public static final String ALGORITHM = "ecdsa-sha2-nistp256";
    /** RFC 5656 §6.1: the curve's identifier in the blob. */
    static final String IDENTIFIER = "nistp256";
    /** The private scalar d is stored as 32 octets (the size of P-256's order n). */
    public static final int SCALAR_LENGTH = 32;

    private final ECPrivateKeyParameters key;
    private final byte[] blob;

    public EcdsaHostKey(byte[] scalar32) {
        BigInteger d = new BigInteger(1, scalar32);
        if (d.signum() == 0 || d.compareTo(EcdhNistP256.DOMAIN.getN()) >= 0) {
            throw new IllegalArgumentException("the P-256 private scalar is not in [1, n-1]");
        }
        this.key = new ECPrivateKeyParameters(d, EcdhNistP256.DOMAIN);
        byte[] q = EcdhNistP256.DOMAIN.getG().multiply(d).normalize().getEncoded(false);
        // RFC 5656 §3.1: string "ecdsa-sha2-nistp256", string "nistp256", string Q.
        this.blob = new SshWriter(104).string(ALGORITHM).string(IDENTIFIER).string(q).toByteArray();
    }

    /** A new private scalar in [1, n-1] from the entropy device. */
    public static byte[] generate(Entropy entropy) {
        BigInteger n = EcdhNistP256.DOMAIN.getN();
        byte[] candidate = new byte[SCALAR_LENGTH];
        while (true) {
            entropy.nextBytes(candidate);
            BigInteger d = new BigInteger(1, candidate);
            // Rejection sampling: uniform in [1, n-1], as FIPS 186-5 A.2.2 does.
            if (d.signum() > 0 && d.compareTo(n) < 0) {
                return candidate.clone();
            }
        }
    }

    /** The stored form of a scalar (for the state store). */
    public static byte[] encodeScalar(BigInteger d) {
        return BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, d);
    }

    @Override
    public String keyType() {
        return ALGORITHM;
    }

    @Override
    public List<String> algorithms() {
        return List.of(ALGORITHM);
    }

    @Override
    public byte[] publicBlob() {
        return blob.clone();
    }

    @Override
    public byte[] sign(String algorithm, byte[] data) {
        // RFC 5656 §6.2.1: SHA-256 for curves up to 256 bits.
        SHA256Digest digest = new SHA256Digest();
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(data, 0, data.length);
        digest.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(hash);
        // RFC 5656 §3.1.2: string "ecdsa-sha2-nistp256", string (mpint r, mpint s).
        byte[] inner = new SshWriter(80).mpint(rs[0]).mpint(rs[1]).toByteArray();
        return new SshWriter(120).string(ALGORITHM).string(inner).toByteArray();
    }
}
