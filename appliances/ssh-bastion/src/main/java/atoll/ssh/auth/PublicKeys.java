package atoll.ssh.auth;

import atoll.ssh.wire.SshFormatException;
import atoll.ssh.wire.SshReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * User public keys in their SSH encodings and signature checks with them: ssh-ed25519 (RFC 8709),
 * ecdsa-sha2-nistp256/384/521 (RFC 5656 §3) and ssh-rsa keys with rsa-sha2-256/512 signatures
 * (RFC 8332; ssh-rsa SHA-1 signatures are refused).
 */
public final class PublicKeys {
    private PublicKeys() {}

    /** RFC 8332 §3.3: RSA keys shorter than this are refused (OpenSSH's own minimum). */
    static final int MIN_RSA_BITS = 1024;

    /** "SHA256:" and the unpadded base64 SHA-256 of a key blob, as ssh-keygen -l prints it. */
    public static String fingerprint(byte[] blob) {
        try {
            return "SHA256:" + java.util.Base64.getEncoder().withoutPadding()
                    .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key type named inside a public key blob. */
    public static String keyType(byte[] blob) throws SshFormatException {
        return new SshReader(blob).text();
    }

    /** Checks that the blob is a well-formed key of a supported type. */
    public static void check(byte[] blob) throws SshFormatException {
        SshReader r = new SshReader(blob);
        String type = r.text();
        switch (type) {
            case "ssh-ed25519" -> {
                if (r.string().length != 32) {
                    throw new SshFormatException("ed25519 key is not 32 octets");
                }
            }
            case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> {
                String curve = r.text();
                if (!type.endsWith(curve)) {
                    throw new SshFormatException("ecdsa key names curve " + curve + " in a " + type + " blob");
                }
                try {
                    ecParams(curve).getCurve().decodePoint(r.string());
                } catch (IllegalArgumentException e) {
                    throw new SshFormatException("ecdsa point not on the curve");
                }
            }
            case "ssh-rsa" -> {
                BigInteger e = r.mpint();
                BigInteger n = r.mpint();
                if (e.signum() <= 0 || n.bitLength() < MIN_RSA_BITS) {
                    throw new SshFormatException("rsa key too small or malformed");
                }
            }
            default -> throw new SshFormatException("unsupported key type " + type);
        }
        r.end();
    }

    /** Whether signature algorithm {@code alg} may be used with a key of type {@code keyType}. */
    public static boolean algorithmFits(String alg, String keyType) {
        return switch (keyType) {
            case "ssh-rsa" -> alg.equals("rsa-sha2-256") || alg.equals("rsa-sha2-512");
            default -> alg.equals(keyType);
        };
    }

    private static X9ECParameters ecParams(String curve) throws SshFormatException {
        String name = switch (curve) {
            case "nistp256" -> "P-256";
            case "nistp384" -> "P-384";
            case "nistp521" -> "P-521";
            default -> throw new SshFormatException("unknown curve " + curve);
        };
        return ECNamedCurveTable.getByName(name);
    }

    /** Verifies an SSH signature blob (string algorithm, string signature) over {@code data}. */
    public static boolean verify(byte[] keyBlob, String alg, byte[] signatureBlob, byte[] data) {
        try {
            SshReader k = new SshReader(keyBlob);
            String type = k.text();
            SshReader s = new SshReader(signatureBlob);
            String sigAlg = s.text();
            byte[] sig = s.string();
            s.end();
            if (!sigAlg.equals(alg) || !algorithmFits(alg, type)) {
                return false;
            }
            return switch (type) {
                case "ssh-ed25519" -> {
                    if (sig.length != 64) {
                        yield false;
                    }
                    Ed25519Signer v = new Ed25519Signer();
                    v.init(false, new Ed25519PublicKeyParameters(k.string(), 0));
                    v.update(data, 0, data.length);
                    yield v.verifySignature(sig);
                }
                case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> {
                    String curve = k.text();
                    X9ECParameters p = ecParams(curve);
                    ECDomainParameters domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
                    ECPublicKeyParameters pub = new ECPublicKeyParameters(p.getCurve().decodePoint(k.string()), domain);
                    // RFC 5656 §3.1.2: the signature blob is mpint r, mpint s.
                    SshReader rs = new SshReader(sig);
                    BigInteger r = rs.mpint();
                    BigInteger sv = rs.mpint();
                    rs.end();
                    // RFC 5656 §6.2.1: SHA-256 up to 256-bit curves, SHA-384 to 384, SHA-512 above.
                    Digest digest = switch (curve) {
                        case "nistp256" -> new SHA256Digest();
                        case "nistp384" -> new SHA384Digest();
                        default -> new SHA512Digest();
                    };
                    byte[] hash = new byte[digest.getDigestSize()];
                    digest.update(data, 0, data.length);
                    digest.doFinal(hash, 0);
                    ECDSASigner v = new ECDSASigner();
                    v.init(false, pub);
                    yield v.verifySignature(hash, r, sv);
                }
                case "ssh-rsa" -> {
                    BigInteger e = k.mpint();
                    BigInteger n = k.mpint();
                    var key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                    Signature v = Signature.getInstance(alg.equals("rsa-sha2-512") ? "SHA512withRSA" : "SHA256withRSA");
                    v.initVerify(key);
                    v.update(data);
                    yield v.verify(sig);
                }
                default -> false;
            };
        } catch (SshFormatException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
