package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.DisconnectReason;
import atoll.ssh.wire.SshWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKEMGenerator;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimePublicKeyParameters;

/**
 * The server side of the supported key exchanges, all one round trip (SSH_MSG_KEX_ECDH_INIT with
 * the client's public value, SSH_MSG_KEX_ECDH_REPLY with the server's).
 */
public enum KeyExchange {
    /** RFC 8731. */
    CURVE25519_SHA256("curve25519-sha256", "SHA-256", 0, 0),
    /** RFC 8731 §1: the pre-standard name, identical. */
    CURVE25519_SHA256_LIBSSH("curve25519-sha256@libssh.org", "SHA-256", 0, 0),
    /** draft-ietf-sshm-mlkem-hybrid-kex: ML-KEM-768 public key 1184 octets, ciphertext 1088. */
    MLKEM768_X25519_SHA256("mlkem768x25519-sha256", "SHA-256", 1184, 1088),
    /** draft-josefsson-ntruprime-ssh: sntrup761 public key 1158 octets, ciphertext 1039. */
    SNTRUP761_X25519_SHA512("sntrup761x25519-sha512", "SHA-512", 1158, 1039),
    SNTRUP761_X25519_SHA512_OPENSSH("sntrup761x25519-sha512@openssh.com", "SHA-512", 1158, 1039),
    /** RFC 5656 §4 and §6.2.1: ECDH on NIST P-256 with SHA-256; off by default (see the README). */
    ECDH_SHA2_NISTP256("ecdh-sha2-nistp256", "SHA-256", 0, 0);

    /** RFC 7748 §6.1: X25519 public values are 32 octets. */
    static final int X25519_LENGTH = 32;

    public final String sshName;
    public final String hash;
    final int kemPublicLength;
    final int kemCiphertextLength;

    KeyExchange(String sshName, String hash, int kemPublicLength, int kemCiphertextLength) {
        this.sshName = sshName;
        this.hash = hash;
        this.kemPublicLength = kemPublicLength;
        this.kemCiphertextLength = kemCiphertextLength;
    }

    public static KeyExchange byName(String name) {
        for (KeyExchange k : values()) {
            if (k.sshName.equals(name)) {
                return k;
            }
        }
        return null;
    }

    /**
     * The server's reply value and the shared secret K, already encoded the way it enters the
     * exchange hash and key derivation.
     */
    public record Reply(byte[] serverPublic, byte[] encodedSecret) {}

    public MessageDigest digest() {
        try {
            return MessageDigest.getInstance(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Reply reply(byte[] clientPublic, Entropy entropy) throws SshDisconnect {
        if (this == ECDH_SHA2_NISTP256) {
            return EcdhNistP256.reply(clientPublic, entropy);
        }
        if (clientPublic.length != kemPublicLength + X25519_LENGTH) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED,
                    sshName + ": client public value of " + clientPublic.length + " octets, expected "
                            + (kemPublicLength + X25519_LENGTH));
        }
        EntropyRandom random = new EntropyRandom(entropy);
        X25519PrivateKeyParameters ours = new X25519PrivateKeyParameters(random);
        byte[] ecdh = new byte[X25519_LENGTH];
        try {
            X25519Agreement agreement = new X25519Agreement();
            agreement.init(ours);
            agreement.calculateAgreement(new X25519PublicKeyParameters(clientPublic, kemPublicLength), ecdh, 0);
        } catch (IllegalStateException allZero) {
            // RFC 8731 §3: an all-zero shared secret MUST abort the key exchange.
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "X25519 shared secret is all zero");
        }
        byte[] ourPublic = ours.generatePublicKey().getEncoded();
        if (kemPublicLength == 0) {
            // RFC 8731 §3.1: K is the X25519 output as an unsigned integer, encoded as an mpint.
            return new Reply(ourPublic, new SshWriter(40).mpintUnsigned(ecdh).toByteArray());
        }
        byte[] kemPublic = Arrays.copyOf(clientPublic, kemPublicLength);
        SecretWithEncapsulation encapsulated;
        try {
            encapsulated = switch (this) {
                case MLKEM768_X25519_SHA256 -> new MLKEMGenerator(random).generateEncapsulated(
                        new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, kemPublic));
                default -> new SNTRUPrimeKEMGenerator(random).generateEncapsulated(
                        new SNTRUPrimePublicKeyParameters(SNTRUPrimeParameters.sntrup761, kemPublic));
            };
        } catch (RuntimeException badKey) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, sshName + ": bad KEM public key");
        }
        byte[] ciphertext = encapsulated.getEncapsulation();
        MessageDigest d = digest();
        d.update(encapsulated.getSecret());
        d.update(ecdh);
        // The hybrid drafts: K = HASH(kem_secret || ecdh_secret), encoded as a string, not an mpint.
        byte[] k = d.digest();
        byte[] reply = new byte[ciphertext.length + X25519_LENGTH];
        System.arraycopy(ciphertext, 0, reply, 0, ciphertext.length);
        System.arraycopy(ourPublic, 0, reply, ciphertext.length, X25519_LENGTH);
        return new Reply(reply, new SshWriter(80).string(k).toByteArray());
    }
}
