package atoll.openvpn.tool;

import atoll.openvpn.crypto.StaticKey;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The profile tool ({@code openvpn-gw profile NAME}): in the state directory it makes, once, a CA
 * ({@code ca.pem}, {@code ca.key}), the server's certificate and key ({@code server.pem},
 * {@code server.key}, with the TLS Web Server extended key usage so clients may insist on
 * {@code remote-cert-tls server}) and the tls-crypt key the gateway uses ({@code tls-crypt.key});
 * then, for client NAME, a certificate signed by that CA and a {@code NAME.ovpn} profile with
 * everything inline, which a stock OpenVPN 2.6 client runs as it is ({@code openvpn --config
 * NAME.ovpn}). Keys are ECDSA P-256, certificates SHA-256; the CA lives ten years, leaves two.
 */
public final class Profiles {
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(730);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path dir;
    private final SecureRandom random;

    public Profiles(Path stateDir, SecureRandom random) {
        this.dir = stateDir;
        this.random = random;
    }

    /**
     * Makes what is missing and writes {@code name}.ovpn for a gateway at {@code host}:{@code port}.
     *
     * @param transport {@code udp} or {@code tcp}
     * @return the profile's path
     */
    public Path create(String name, String host, int port, String transport, Instant now)
            throws IOException, GeneralSecurityException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("client name '" + name + "': letters, digits, '.', '_' and '-', at most 64");
        }
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("ca.pem"))) {
            KeyPair ca = keyPair();
            X500Name subject = new X500Name("CN=openvpn-gw CA");
            write("ca.key", pem(ca.getPrivate()));
            write("ca.pem", pem(sign(subject, ca.getPublic(), subject, ca.getPrivate(), now, CA_LIFETIME, null)));
        }
        X509CertificateHolder caCert = readCertificate(dir.resolve("ca.pem"));
        PrivateKey caKey = readKey(dir.resolve("ca.key"));
        if (!Files.exists(dir.resolve("server.pem"))) {
            KeyPair server = keyPair();
            write("server.key", pem(server.getPrivate()));
            write("server.pem", pem(sign(new X500Name("CN=openvpn-gw"), server.getPublic(), caCert.getSubject(), caKey, now,
                    LEAF_LIFETIME, KeyPurposeId.id_kp_serverAuth)));
        }
        if (!Files.exists(dir.resolve("tls-crypt.key"))) {
            byte[] k = new byte[StaticKey.LENGTH];
            random.nextBytes(k);
            write("tls-crypt.key", StaticKey.of(k).format());
        }
        KeyPair client = keyPair();
        String clientCert = pem(sign(new X500Name("CN=" + name), client.getPublic(), caCert.getSubject(), caKey, now,
                LEAF_LIFETIME, KeyPurposeId.id_kp_clientAuth));
        String profile = "# OpenVPN client profile for " + name + ", made by openvpn-gw profile\n"
                + "client\ndev tun\nproto " + (transport.equals("tcp") ? "tcp-client" : "udp") + "\n"
                + "remote " + host + " " + port + "\nnobind\npersist-key\nremote-cert-tls server\n"
                + "data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\n"
                + "<ca>\n" + Files.readString(dir.resolve("ca.pem")) + "</ca>\n"
                + "<cert>\n" + clientCert + "</cert>\n"
                + "<key>\n" + pem(client.getPrivate()) + "</key>\n"
                + "<tls-crypt>\n" + Files.readString(dir.resolve("tls-crypt.key")) + "</tls-crypt>\n";
        Path out = dir.resolve(name + ".ovpn");
        Files.writeString(out, profile, StandardCharsets.US_ASCII);
        return out;
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private X509CertificateHolder sign(X500Name subject, java.security.PublicKey key, X500Name issuer, PrivateKey issuerKey,
            Instant now, Duration lifetime, KeyPurposeId purpose) throws GeneralSecurityException, IOException {
        byte[] serial = new byte[16];
        random.nextBytes(serial);
        var b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(1, serial), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(lifetime)), subject, key);
        if (purpose == null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        try {
            return b.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            // Private keys as PKCS#8 ("PRIVATE KEY"), which OpenSSL and Bouncy Castle both read back whole.
            w.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return s.toString();
    }

    private void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
    }

    private static X509CertificateHolder readCertificate(Path p) throws IOException {
        try (PEMParser r = new PEMParser(Files.newBufferedReader(p))) {
            if (r.readObject() instanceof X509CertificateHolder h) {
                return h;
            }
            throw new IOException(p + ": not a PEM certificate");
        }
    }

    private static PrivateKey readKey(Path p) throws IOException {
        try (PEMParser r = new PEMParser(Files.newBufferedReader(p))) {
            Object o = r.readObject();
            var conv = new JcaPEMKeyConverter();
            if (o instanceof org.bouncycastle.openssl.PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
            if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo pk) {
                return conv.getPrivateKey(pk);
            }
            throw new IOException(p + ": not a PEM private key");
        }
    }

    /**
     * {@code profile NAME [--state.dir=DIR] [--remote=HOST:PORT] [--proto=udp|tcp]}: the command
     * line form; returns the exit status (0, or 64 for bad usage as everywhere in Atoll).
     */
    public static int main(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        String name = null;
        String stateDir = "state";
        String remote = "127.0.0.1:1194";
        String proto = "udp";
        for (String a : args) {
            if (a.startsWith("--state.dir=")) {
                stateDir = a.substring("--state.dir=".length());
            } else if (a.startsWith("--remote=")) {
                remote = a.substring("--remote=".length());
            } else if (a.startsWith("--proto=")) {
                proto = a.substring("--proto=".length());
            } else if (!a.startsWith("--") && name == null) {
                name = a;
            } else {
                err.println("usage: openvpn-gw profile NAME [--state.dir=DIR] [--remote=HOST:PORT] [--proto=udp|tcp]");
                return 64;
            }
        }
        int colon = remote.lastIndexOf(':');
        if (name == null || colon <= 0 || !(proto.equals("udp") || proto.equals("tcp"))) {
            err.println("usage: openvpn-gw profile NAME [--state.dir=DIR] [--remote=HOST:PORT] [--proto=udp|tcp]");
            return 64;
        }
        int port;
        try {
            port = Integer.parseInt(remote.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            err.println("bad value '" + remote + "' for --remote: HOST:PORT with a port 1..65535");
            return 64;
        }
        Path dir = Path.of(stateDir);
        String home = System.getProperty("atoll.home", "");
        if (!dir.isAbsolute() && !home.isEmpty()) {
            dir = Path.of(home).resolve(dir); // as the gateway resolves state.dir inside an image
        }
        try {
            Path p = new Profiles(dir, new SecureRandom()).create(name, remote.substring(0, colon), port, proto, Instant.now());
            out.println(p);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 64;
        } catch (IOException | GeneralSecurityException e) {
            err.println("cannot make the profile: " + e);
            return 74; // sysexits.h EX_IOERR
        }
    }
}
