package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.DisconnectReason;
import atoll.ssh.wire.SshWriter;
import java.math.BigInteger;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The server half of ecdh-sha2-nistp256 (RFC 5656 §4) on Bouncy Castle's P-256: Q_C and Q_S are
 * uncompressed points (SEC 1 §2.3.3), K is the x coordinate of the shared point as an mpint.
 */
final class EcdhNistP256 {
    private EcdhNistP256() {}

    /** SEC 1 §2.3.3: an uncompressed P-256 point is 0x04 || X || Y, 65 octets. */
    static final int POINT_LENGTH = 65;
    static final X9ECParameters CURVE = ECNamedCurveTable.getByName("P-256");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    static KeyExchange.Reply reply(byte[] clientPublic, Entropy entropy) throws SshDisconnect {
        // RFC 5656 §4: "the server MUST verify that the public key Q_C is valid" (§3.1 and SEC 1
        // §3.2.2.1: a point on the curve, not the point at infinity; P-256's cofactor is 1).
        if (clientPublic.length != POINT_LENGTH || clientPublic[0] != 0x04) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED,
                    "ecdh-sha2-nistp256: Q_C is not an uncompressed P-256 point");
        }
        ECPoint q;
        try {
            q = DOMAIN.getCurve().decodePoint(clientPublic);
        } catch (IllegalArgumentException notOnCurve) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "ecdh-sha2-nistp256: Q_C is not on the curve");
        }
        if (q.isInfinity() || !q.isValid()) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "ecdh-sha2-nistp256: Q_C is not a valid point");
        }
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, new EntropyRandom(entropy)));
        AsymmetricCipherKeyPair ours = generator.generateKeyPair();
        ECDHBasicAgreement agreement = new ECDHBasicAgreement();
        agreement.init((ECPrivateKeyParameters) ours.getPrivate());
        BigInteger x;
        try {
            x = agreement.calculateAgreement(new ECPublicKeyParameters(q, DOMAIN));
        } catch (IllegalStateException infinity) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "ecdh-sha2-nistp256: shared point at infinity");
        }
        byte[] qs = ((ECPublicKeyParameters) ours.getPublic()).getQ().getEncoded(false);
        // RFC 5656 §4: K is the x coordinate of the shared point, as an integer; it enters the
        // exchange hash and key derivation as an mpint.
        return new KeyExchange.Reply(qs, new SshWriter(40).mpint(x).toByteArray());
    }
}
