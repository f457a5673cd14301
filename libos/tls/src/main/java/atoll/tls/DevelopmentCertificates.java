package atoll.tls;

import atoll.libos.entropy.Entropy;
import atoll.libos.store.ReadWriteStore;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development CA and a server certificate signed by it, for an appliance started without a
 * configured certificate: generated on first start, kept in the read-write store, and reused on
 * later starts (the leaf is renewed when it is near expiry, the CA is kept). Clients trust the CA
 * file (curl {@code --cacert}, a browser's authority list) rather than each leaf.
 *
 * <p>Both keys are ECDSA P-256. The leaf is valid for {@code localhost}, 127.0.0.1, ::1 and any
 * extra names given.
 */
public final class DevelopmentCertificates {
    /** Store keys. */
    public static final String CA_CERT = "tls/dev-ca.pem";
    public static final String CA_KEY = "tls/dev-ca.key";
    public static final String SERVER_CERT = "tls/dev-server.pem";
    public static final String SERVER_KEY = "tls/dev-server.key";

    static final Duration CA_LIFETIME = Duration.ofDays(3650);
    /**
     * 397 days: under the 398-day ceiling browsers enforce for server certificates (CA/Browser
     * Forum Baseline Requirements §6.3.2), so a browser that trusts the CA accepts the leaf.
     */
    static final Duration LEAF_LIFETIME = Duration.ofDays(397);
    /** Renew the leaf when less than this is left. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Back-dating of notBefore, for clients whose clock is a little behind. */
    static final Duration BACKDATE = Duration.ofHours(1);
    /** RFC 5280 §4.1.2.2: serial numbers are positive and at most 20 octets. */
    private static final int SERIAL_BYTES = 16;

    /**
     * The development identity and where its files are.
     *
     * @param identity the server certificate (leaf only; the client trusts the CA) and key
     * @param caCertificate where the CA certificate is, for clients to trust
     * @param serverCertificate where the server certificate is
     * @param created whether this start generated anything
     */
    public record Loaded(ServerIdentity identity, String caCertificate, String serverCertificate, boolean created) {}

    private DevelopmentCertificates() {}

    /** Loads the development certificates from {@code state}, creating or renewing what is missing. */
    public static Loaded loadOrCreate(ReadWriteStore state, Entropy entropy, Instant now, List<String> extraNames)
            throws IOException {
        SecureRandom random = new EntropyRandom(entropy);
        boolean created = false;
        try {
            X509Certificate caCert;
            PrivateKey caKey;
            if (state.exists(CA_CERT) && state.exists(CA_KEY)) {
                caCert = Pem.certificates(state.read(CA_CERT), state.describe(CA_CERT)).getFirst();
                caKey = Pem.privateKey(state.read(CA_KEY), state.describe(CA_KEY));
            } else {
                KeyPair ca = p256(random);
                caCert = caCertificate(ca, now, random);
                caKey = ca.getPrivate();
                state.write(CA_KEY, Pem.encodePrivateKey(caKey));
                state.write(CA_CERT, Pem.encode(caCert));
                state.delete(SERVER_CERT); // a new CA invalidates the old leaf
                created = true;
            }
            ServerIdentity leaf = null;
            if (state.exists(SERVER_CERT) && state.exists(SERVER_KEY)) {
                leaf = Pem.identity(state.read(SERVER_CERT), state.describe(SERVER_CERT),
                        state.read(SERVER_KEY), state.describe(SERVER_KEY));
                boolean fresh = leaf.leaf().getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
                boolean names = leaf.dnsNames().containsAll(names(extraNames));
                if (!fresh || !names) {
                    leaf = null;
                }
            }
            if (leaf == null) {
                KeyPair kp = p256(random);
                X509Certificate cert = serverCertificate(kp, caCert, caKey, now, extraNames, random);
                state.write(SERVER_KEY, Pem.encodePrivateKey(kp.getPrivate()));
                state.write(SERVER_CERT, Pem.encode(cert));
                leaf = new ServerIdentity(List.of(cert), kp.getPrivate(), state.describe(SERVER_CERT));
                created = true;
            }
            return new Loaded(leaf, state.describe(CA_CERT), state.describe(SERVER_CERT), created);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate the development certificate: " + e.getMessage(), e);
        }
    }

    private static List<String> names(List<String> extra) {
        List<String> all = new ArrayList<>();
        all.add("localhost");
        for (String n : extra) {
            all.add(n.toLowerCase(java.util.Locale.ROOT));
        }
        return all;
    }

    private static KeyPair p256(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        byte[] b = new byte[SERIAL_BYTES];
        random.nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x01; // positive and non-zero
        return new BigInteger(b);
    }

    private static X509Certificate caCertificate(KeyPair ca, Instant now, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=Atoll development CA (not for production)");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(random),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_LIFETIME)), name, ca.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
        return sign(b, ca.getPrivate(), random);
    }

    private static X509Certificate serverCertificate(KeyPair kp, X509Certificate ca, PrivateKey caKey, Instant now,
            List<String> extraNames, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(random),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(LEAF_LIFETIME)),
                new X500Name("CN=localhost"), kp.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names(extraNames)) {
            sans.add(new GeneralName(GeneralName.dNSName, n));
        }
        sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        return sign(b, caKey, random);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException {
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }
}
