package atoll.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM (RFC 7468) reading and writing of certificates and private keys, as operators keep them:
 * a chain file with the leaf first, and an unencrypted key file (PKCS#8 "PRIVATE KEY", SEC 1
 * "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY").
 */
public final class Pem {
    private Pem() {}

    /** Every certificate in {@code pem}, in order. */
    public static List<X509Certificate> certificates(byte[] pem, String source) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException(source + ": not a readable PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(source + ": no CERTIFICATE block");
        }
        return out;
    }

    /** The first private key in {@code pem}. */
    public static PrivateKey privateKey(byte[] pem, String source) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof PEMKeyPair pair) {
                    return jdkKey(pair.getPrivateKeyInfo(), converter);
                }
                if (o instanceof PrivateKeyInfo info) {
                    return jdkKey(info, converter);
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(source + ": not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new IOException(source + ": no unencrypted PRIVATE KEY block (encrypted keys are not supported)");
    }

    /**
     * The key through the JDK's own key factory named by the key's algorithm identifier. Bouncy
     * Castle's converter asks the JCA for "ECDSA", a name no JDK provider has: the JCA then walks
     * its whole provider list, and loading each provider missing from the jlinked runtime
     * (SunJGSS, XMLDSig, ...) instantiates every provider on the module path (Bouncy Castle's
     * three) to look for the name; that alone took seconds of the appliance's start-up. Other
     * algorithms still go through the converter.
     */
    private static PrivateKey jdkKey(PrivateKeyInfo info, JcaPEMKeyConverter converter)
            throws IOException, GeneralSecurityException {
        var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String jdkName;
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) { // RFC 5480 §2.1.1
            jdkName = "EC";
        } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) { // RFC 8017 Appendix C
            jdkName = "RSA";
        } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) { // RFC 8410 §3
            jdkName = "Ed25519";
        } else {
            return converter.getPrivateKey(info);
        }
        return KeyFactory.getInstance(jdkName).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    /** A chain file and its key file as one identity. */
    public static ServerIdentity identity(byte[] chainPem, String chainSource, byte[] keyPem, String keySource)
            throws IOException {
        List<X509Certificate> chain = certificates(chainPem, chainSource);
        PrivateKey key = privateKey(keyPem, keySource);
        try {
            return new ServerIdentity(chain, key, chainSource);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** PEM "PRIVATE KEY" (PKCS#8, RFC 5208) text of {@code key}, the form every tool reads. */
    public static byte[] encodePrivateKey(java.security.PrivateKey key) throws IOException {
        try {
            return encode(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IOException("cannot encode the private key: " + e.getMessage(), e);
        }
    }

    /** PEM text of the given objects (certificates, keys). */
    public static byte[] encode(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
