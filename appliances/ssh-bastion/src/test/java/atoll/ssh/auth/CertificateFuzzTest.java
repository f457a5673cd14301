package atoll.ssh.auth;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import atoll.ssh.wire.SshFormatException;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.List;

/**
 * Jazzer target for {@link OpenSshCertificate#wrap} and {@link UserCertificates#check}: any blob is
 * either refused with {@link SshFormatException} or gives a view whose accessors never throw and a
 * verdict, never another exception.
 */
class CertificateFuzzTest {
    @FuzzTest
    void wrapAndCheck(byte[] data) {
        OpenSshCertificate cert;
        try {
            cert = OpenSshCertificate.wrap(data);
        } catch (SshFormatException refused) {
            return;
        }
        cert.certifiedKey();
        cert.keyId();
        cert.serial();
        cert.validAfter();
        cert.validBefore();
        cert.criticalOptions();
        assertNotNull(UserCertificates.check(cert, List.of("alice"), InetAddress.getLoopbackAddress(), 1780272000L));
    }
}
