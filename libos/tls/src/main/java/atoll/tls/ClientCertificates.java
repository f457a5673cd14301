package atoll.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Vector;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;

/**
 * Client authentication for a {@link TlsServer}: the server asks for a certificate (RFC 8446
 * §4.3.2, RFC 5246 §7.4.4) naming its CAs, and accepts only a chain that validates (PKIX, RFC 5280
 * §6, with the JDK's validator) to one of them at the injected time. A client that sends none, or
 * one that does not validate, gets a fatal alert: certificate_required (RFC 8446 §4.4.2.4: "servers
 * MAY abort the handshake with a certificate_required alert") or bad_certificate. Revocation (CRLs)
 * is not checked.
 */
public final class ClientCertificates {
    private final List<X509Certificate> authorities;
    private final Set<TrustAnchor> anchors = new HashSet<>();
    private final java.util.function.Supplier<java.time.Instant> now;

    /** Trusts {@code authorities} (CA certificates) at the time {@code now} gives. */
    public ClientCertificates(List<X509Certificate> authorities, java.util.function.Supplier<java.time.Instant> now) {
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate to verify clients against");
        }
        this.authorities = List.copyOf(authorities);
        for (X509Certificate ca : authorities) {
            anchors.add(new TrustAnchor(ca, null));
        }
        this.now = now;
    }

    /** The CertificateRequest for the negotiated version (TLS 1.3 or 1.2). */
    CertificateRequest request(TlsContext context) throws IOException {
        Vector<X500Name> names = new Vector<>();
        for (X509Certificate ca : authorities) {
            names.add(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()));
        }
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        if (TlsUtils.isTLSv13(context)) {
            return new CertificateRequest(TlsUtils.EMPTY_BYTES, algorithms, null, names);
        }
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, names);
    }

    /** Validates the client's chain; returns its end-entity certificate. */
    X509Certificate verify(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required, "no client certificate");
        }
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> path = new ArrayList<>();
            for (int i = 0; i < chain.getLength(); i++) {
                path.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(chain.getCertificateAt(i).getEncoded())));
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now.get()));
            CertPathValidator.getInstance("PKIX").validate(f.generateCertPath(path), params);
            return path.get(0);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "client certificate: " + e.getMessage(), e);
        }
    }
}
