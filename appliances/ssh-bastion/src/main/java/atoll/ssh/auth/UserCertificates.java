package atoll.ssh.auth;

import atoll.ssh.wire.SshFormatException;
import atoll.ssh.wire.SshReader;
import java.net.InetAddress;
import java.util.List;

/**
 * Whether an OpenSSH user certificate (PROTOCOL.certkeys) signed by a CA the caller trusts
 * admits a login: the CA's signature, the certificate type, the validity window at an injected
 * time, the principals, and the critical options. Pure: no clock, no files.
 */
public final class UserCertificates {
    private UserCertificates() {}

    /** PROTOCOL.certkeys critical option: the source addresses (CIDR list) the certificate may be used from. */
    static final String SOURCE_ADDRESS = "source-address";
    /** PROTOCOL.certkeys critical option: a command forced on sessions; there are none here. */
    static final String FORCE_COMMAND = "force-command";
    /** PROTOCOL.certkeys extension: without it a certificate gives no port forwarding. */
    static final String PERMIT_PORT_FORWARDING = "permit-port-forwarding";

    /** The verdict on one certificate. */
    public sealed interface Outcome {
        /**
         * @param description for logs and the audit line: key ID, serial and the CA's fingerprint
         * @param portForwarding whether the certificate carries permit-port-forwarding
         */
        record Valid(String description, boolean portForwarding) implements Outcome {}

        record Invalid(String reason) implements Outcome {}
    }

    /**
     * @param acceptedPrincipals the certificate must name at least one of these (the user name, or
     *     an authorized_keys {@code principals=} list)
     * @param now seconds since the epoch
     */
    public static Outcome check(OpenSshCertificate cert, List<String> acceptedPrincipals, InetAddress source, long now) {
        byte[] caKey = cert.signatureKey();
        String caAlgorithm;
        try {
            caAlgorithm = new SshReader(cert.signature()).text();
        } catch (SshFormatException e) {
            return new Outcome.Invalid("certificate signature malformed");
        }
        String ca = PublicKeys.fingerprint(caKey);
        // PROTOCOL.certkeys: the signature is by the CA key over all preceding fields; SHA-1
        // ssh-rsa signatures are refused like every other SHA-1 use here (PublicKeys.algorithmFits).
        if (!PublicKeys.verify(caKey, caAlgorithm, cert.signature(), cert.signedPart())) {
            return new Outcome.Invalid("certificate signature does not verify with CA " + ca);
        }
        if (cert.type() != OpenSshCertificate.USER) {
            return new Outcome.Invalid("not a user certificate (type " + cert.type() + ")");
        }
        // PROTOCOL.certkeys: valid after <= now < valid before, both unsigned seconds.
        if (Long.compareUnsigned(now, cert.validAfter()) < 0) {
            return new Outcome.Invalid("certificate not yet valid (valid after " + Long.toUnsignedString(cert.validAfter()) + ")");
        }
        if (Long.compareUnsigned(now, cert.validBefore()) >= 0) {
            return new Outcome.Invalid("certificate expired (valid before " + Long.toUnsignedString(cert.validBefore()) + ")");
        }
        // PROTOCOL.certkeys allows an empty list to mean "any principal"; sshd refuses that for
        // TrustedUserCAKeys, and this bastion refuses it everywhere: a certificate names its users.
        if (cert.principals().isEmpty()) {
            return new Outcome.Invalid("certificate has no principals");
        }
        if (cert.principals().stream().noneMatch(acceptedPrincipals::contains)) {
            return new Outcome.Invalid("certificate principals " + clip(cert.principals()) + " do not include "
                    + clip(acceptedPrincipals));
        }
        for (OpenSshCertificate.Option option : cert.criticalOptions()) {
            switch (option.name()) {
                case SOURCE_ADDRESS -> {
                    if (!sourceAllowed(option.value(), source)) {
                        return new Outcome.Invalid("source address not in the certificate's source-address");
                    }
                }
                case FORCE_COMMAND -> {
                    // Only sessions run commands, and this bastion refuses every session.
                }
                default -> {
                    // PROTOCOL.certkeys: "if an implementation does not recognise a critical
                    // option, it MUST reject the certificate". verify-required lands here too: it
                    // asks for FIDO user verification, and no FIDO key is accepted.
                    return new Outcome.Invalid("unsupported critical option '" + OpenSshCertificate.clip(option.name()) + "'");
                }
            }
        }
        // PROTOCOL.certkeys: unrecognised extensions MUST be ignored.
        boolean forwarding = cert.extensions().contains(PERMIT_PORT_FORWARDING);
        String description = "ID \"" + OpenSshCertificate.clip(cert.keyId()) + "\" serial "
                + Long.toUnsignedString(cert.serial()) + " CA " + ca;
        return new Outcome.Valid(description, forwarding);
    }

    /** sshd's addr_match_cidr_list: every entry an address or CIDR block; a bad entry refuses. */
    static boolean sourceAllowed(String list, InetAddress source) {
        if (list.isEmpty()) {
            return false;
        }
        for (String entry : list.split(",", -1)) {
            String block = entry.contains("/") ? entry : entry + (entry.contains(":") ? "/128" : "/32");
            if (!block.matches("[0-9a-fA-F:.]+/[0-9]{1,3}")) {
                return false;
            }
            if (Patterns.cidr(block, source)) {
                return true;
            }
        }
        return false;
    }

    private static String clip(List<String> names) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < names.size() && i < 8; i++) {
            b.append(i == 0 ? "" : ",").append(OpenSshCertificate.clip(names.get(i)));
        }
        return b.append(names.size() > 8 ? ",...]" : "]").toString();
    }

}
