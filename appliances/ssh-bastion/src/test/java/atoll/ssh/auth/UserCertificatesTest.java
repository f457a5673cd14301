package atoll.ssh.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.ssh.wire.SshFormatException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User certificates made by the real {@code ssh-keygen -s} (Debian openssh-client), judged at a
 * fixed time: the validity window, principals, critical options, extensions and the CA signature.
 */
class UserCertificatesTest {
    /** 2026-06-01T00:00:00Z, inside the window 2026-01-01 .. 2027-01-01 the certificates get. */
    static final long JUNE_2026 = 1780272000L;
    static final long JAN_2026 = 1767225600L;
    static final long JAN_2027 = 1798761600L;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir static Path tmp;

    @BeforeAll
    static void keys() throws Exception {
        keygen("ed25519", "ca");
        keygen("rsa", "rsa-ca");
        keygen("ed25519", "user");
        keygen("ecdsa", "user-ecdsa");
        keygen("rsa", "user-rsa");
    }

    static void keygen(String type, String name) throws Exception {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", tmp.resolve(name).toString());
    }

    static String run(String... cmd) throws Exception {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        // ssh-keygen reads -V dates in local time: pin it.
        b.environment().put("TZ", "UTC");
        Process p;
        try {
            p = b.start();
        } catch (IOException missing) {
            throw new AssertionError(cmd[0] + " is not installed: apt-get install openssh-client", missing);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static int serial;

    /** Signs {@code user}.pub with {@code ca} and the extra ssh-keygen options; returns the certificate blob. */
    static byte[] sign(String ca, String user, String... options) throws Exception {
        String name = user + "-" + (++serial);
        Files.copy(tmp.resolve(user + ".pub"), tmp.resolve(name + ".pub"));
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", tmp.resolve(ca).toString(), "-I",
                "id-" + serial, "-z", Integer.toString(serial), "-V", "20260101:20270101"));
        cmd.addAll(List.of(options));
        cmd.add(tmp.resolve(name + ".pub").toString());
        run(cmd.toArray(String[]::new));
        String line = Files.readString(tmp.resolve(name + "-cert.pub"));
        return Base64.getDecoder().decode(line.split(" ")[1]);
    }

    static byte[] plainKey(String user) throws Exception {
        return Base64.getDecoder().decode(Files.readString(tmp.resolve(user + ".pub")).split(" ")[1]);
    }

    static UserCertificates.Outcome check(byte[] blob, String user, InetAddress source, long now) throws Exception {
        return UserCertificates.check(OpenSshCertificate.wrap(blob), List.of(user), source, now);
    }

    @Test
    void validCertificateIsAcceptedWithItsIdSerialAndCa() throws Exception {
        byte[] blob = sign("ca", "user", "-n", "alice,ops");
        OpenSshCertificate cert = OpenSshCertificate.wrap(blob);
        assertEquals("ssh-ed25519-cert-v01@openssh.com", cert.certType());
        assertEquals(List.of("alice", "ops"), cert.principals());
        assertEquals(JAN_2026, cert.validAfter());
        assertEquals(JAN_2027, cert.validBefore());
        assertEquals(OpenSshCertificate.USER, cert.type());
        assertArrayEquals(plainKey("user"), cert.certifiedKey());
        assertArrayEquals(plainKey("ca"), cert.signatureKey());
        var outcome = assertInstanceOf(UserCertificates.Outcome.Valid.class, check(blob, "alice", LOOPBACK, JUNE_2026));
        String caFingerprint = run("ssh-keygen", "-l", "-f", tmp.resolve("ca.pub").toString()).split(" ")[1];
        assertEquals("ID \"id-" + serial + "\" serial " + serial + " CA " + caFingerprint, outcome.description());
        assertTrue(outcome.portForwarding());
        assertInstanceOf(UserCertificates.Outcome.Valid.class, check(blob, "ops", LOOPBACK, JUNE_2026));
    }

    @Test
    void validityWindowIsAfterInclusiveBeforeExclusive() throws Exception {
        byte[] blob = sign("ca", "user", "-n", "alice");
        assertInstanceOf(UserCertificates.Outcome.Valid.class, check(blob, "alice", LOOPBACK, JAN_2026));
        assertInstanceOf(UserCertificates.Outcome.Valid.class, check(blob, "alice", LOOPBACK, JAN_2027 - 1));
        var expired = assertInstanceOf(UserCertificates.Outcome.Invalid.class, check(blob, "alice", LOOPBACK, JAN_2027));
        assertTrue(expired.reason().startsWith("certificate expired"), expired.reason());
        var early = assertInstanceOf(UserCertificates.Outcome.Invalid.class, check(blob, "alice", LOOPBACK, JAN_2026 - 1));
        assertTrue(early.reason().startsWith("certificate not yet valid"), early.reason());
    }

    @Test
    void wrongOrMissingPrincipalIsRefused() throws Exception {
        var wrong = assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(sign("ca", "user", "-n", "bob"), "alice", LOOPBACK, JUNE_2026));
        assertEquals("certificate principals [bob] do not include [alice]", wrong.reason());
        var none = assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(sign("ca", "user"), "alice", LOOPBACK, JUNE_2026));
        assertEquals("certificate has no principals", none.reason());
    }

    @Test
    void sourceAddressCriticalOptionIsHonoured() throws Exception {
        byte[] blob = sign("ca", "user", "-n", "alice", "-O", "source-address=10.0.0.0/8,192.0.2.7");
        assertInstanceOf(UserCertificates.Outcome.Valid.class,
                check(blob, "alice", InetAddress.ofLiteral("10.1.2.3"), JUNE_2026));
        assertInstanceOf(UserCertificates.Outcome.Valid.class,
                check(blob, "alice", InetAddress.ofLiteral("192.0.2.7"), JUNE_2026));
        var refused = assertInstanceOf(UserCertificates.Outcome.Invalid.class, check(blob, "alice", LOOPBACK, JUNE_2026));
        assertEquals("source address not in the certificate's source-address", refused.reason());
        assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(blob, "alice", InetAddress.ofLiteral("192.0.2.8"), JUNE_2026));
    }

    @Test
    void criticalOptionsOtherThanSourceAddressAndForceCommandAreRefused() throws Exception {
        var verify = assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(sign("ca", "user", "-n", "alice", "-O", "verify-required"), "alice", LOOPBACK, JUNE_2026));
        assertEquals("unsupported critical option 'verify-required'", verify.reason());
        var unknown = assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(sign("ca", "user", "-n", "alice", "-O", "critical:frobnicate@example.org=yes"), "alice", LOOPBACK,
                        JUNE_2026));
        assertEquals("unsupported critical option 'frobnicate@example.org'", unknown.reason());
        // force-command only concerns sessions, which are refused anyway.
        assertInstanceOf(UserCertificates.Outcome.Valid.class,
                check(sign("ca", "user", "-n", "alice", "-O", "force-command=/bin/true"), "alice", LOOPBACK, JUNE_2026));
    }

    @Test
    void withoutPermitPortForwardingTheCertificateForwardsNothing() throws Exception {
        var clear = assertInstanceOf(UserCertificates.Outcome.Valid.class,
                check(sign("ca", "user", "-n", "alice", "-O", "clear"), "alice", LOOPBACK, JUNE_2026));
        assertFalse(clear.portForwarding());
        var noForward = assertInstanceOf(UserCertificates.Outcome.Valid.class,
                check(sign("ca", "user", "-n", "alice", "-O", "no-port-forwarding"), "alice", LOOPBACK, JUNE_2026));
        assertFalse(noForward.portForwarding());
        // An unknown extension is ignored (PROTOCOL.certkeys).
        assertInstanceOf(UserCertificates.Outcome.Valid.class,
                check(sign("ca", "user", "-n", "alice", "-O", "extension:whatever@example.org"), "alice", LOOPBACK,
                        JUNE_2026));
    }

    @Test
    void hostCertificateIsNotAUserCertificate() throws Exception {
        var host = assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(sign("ca", "user", "-h", "-n", "alice"), "alice", LOOPBACK, JUNE_2026));
        assertEquals("not a user certificate (type 2)", host.reason());
    }

    @Test
    void everyAlteredOctetOfTheSignedPartBreaksTheCaSignature() throws Exception {
        byte[] blob = sign("ca", "user", "-n", "alice");
        OpenSshCertificate cert = OpenSshCertificate.wrap(blob);
        int signed = cert.signedPart().length;
        int checked = 0;
        for (int i = 0; i < signed; i++) {
            byte[] altered = blob.clone();
            altered[i] ^= 0x01;
            OpenSshCertificate c;
            try {
                c = OpenSshCertificate.wrap(altered);
            } catch (SshFormatException malformed) {
                continue;
            }
            var outcome = UserCertificates.check(c, List.of("alice", "alicd", "alicE"), LOOPBACK, JUNE_2026);
            assertInstanceOf(UserCertificates.Outcome.Invalid.class, outcome, "octet " + i);
            checked++;
        }
        assertTrue(checked > signed / 2, "most alterations still parse: " + checked + " of " + signed);
    }

    @Test
    void rsaAndEcdsaUserKeysAndAnRsaCa() throws Exception {
        byte[] ecdsa = sign("rsa-ca", "user-ecdsa", "-n", "alice");
        OpenSshCertificate cert = OpenSshCertificate.wrap(ecdsa);
        assertEquals("ecdsa-sha2-nistp256-cert-v01@openssh.com", cert.certType());
        assertArrayEquals(plainKey("user-ecdsa"), cert.certifiedKey());
        assertInstanceOf(UserCertificates.Outcome.Valid.class, check(ecdsa, "alice", LOOPBACK, JUNE_2026));
        byte[] rsa = sign("ca", "user-rsa", "-n", "alice");
        assertArrayEquals(plainKey("user-rsa"), OpenSshCertificate.wrap(rsa).certifiedKey());
        assertInstanceOf(UserCertificates.Outcome.Valid.class, check(rsa, "alice", LOOPBACK, JUNE_2026));
        // An RSA CA signing with SHA-1 (ssh-keygen -t ssh-rsa) is refused like every SHA-1 use here.
        var sha1 = assertInstanceOf(UserCertificates.Outcome.Invalid.class,
                check(sign("rsa-ca", "user", "-t", "ssh-rsa", "-n", "alice"), "alice", LOOPBACK, JUNE_2026));
        assertTrue(sha1.reason().startsWith("certificate signature does not verify"), sha1.reason());
    }

    @Test
    void userSignatureAlgorithmsForCertificates() {
        assertEquals("ssh-ed25519",
                OpenSshCertificate.plainAlgorithm("ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com"));
        assertEquals("rsa-sha2-512",
                OpenSshCertificate.plainAlgorithm("rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com"));
        // ssh-rsa-cert-v01 as the algorithm would be a SHA-1 signature.
        assertEquals(null,
                OpenSshCertificate.plainAlgorithm("ssh-rsa-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com"));
        assertEquals(null,
                OpenSshCertificate.plainAlgorithm("rsa-sha2-512-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com"));
    }

    @Test
    void everyTruncationIsAFormatError() throws Exception {
        byte[] blob = sign("ca", "user-ecdsa", "-n", "alice", "-O", "source-address=127.0.0.1");
        for (int n = 0; n < blob.length; n++) {
            byte[] cut = Arrays.copyOf(blob, n);
            assertThrows(SshFormatException.class, () -> OpenSshCertificate.wrap(cut), "length " + n);
        }
        byte[] longer = Arrays.copyOf(blob, blob.length + 1);
        assertThrows(SshFormatException.class, () -> OpenSshCertificate.wrap(longer));
    }
}
