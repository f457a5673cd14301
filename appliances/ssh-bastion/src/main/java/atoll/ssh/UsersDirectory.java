package atoll.ssh;

import atoll.libos.time.Clock;
import atoll.ssh.auth.AuthorizedKeys;
import atoll.ssh.auth.KeyOptions;
import atoll.ssh.auth.OpenSshCertificate;
import atoll.ssh.auth.Patterns;
import atoll.ssh.auth.PublicKeys;
import atoll.ssh.auth.UserCertificates;
import atoll.ssh.wire.SshFormatException;
import atoll.ssh.connection.AuthDecision;
import atoll.ssh.connection.Authenticator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Users as a directory of authorized_keys files, one per user and named after it (sshd's
 * {@code AuthorizedKeysFile /etc/ssh/keys/%u}). Read at each attempt, so an edit applies to the
 * next login without a restart.
 */
final class UsersDirectory implements Authenticator {
    private static final System.Logger LOG = System.getLogger("ssh-bastion");
    /** User names that are safe as file names: no path separators, no dot-dot. */
    static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9._-]{0,31}");
    /** An authorized_keys file larger than this is refused (sshd reads lines of 8 KiB; 1 MiB is plenty). */
    static final long MAX_FILE = 1 << 20;

    private final Path dir;
    private final List<DestinationRule> rules;
    private final Path trustedCas;
    private final Clock clock;

    /**
     * @param trustedCas a file of CA public keys trusted for every user (sshd's TrustedUserCAKeys),
     *     or null
     * @param clock the wall clock certificate validity is judged by
     */
    UsersDirectory(Path dir, List<DestinationRule> rules, Path trustedCas, Clock clock) {
        this.dir = dir;
        this.rules = List.copyOf(rules);
        this.trustedCas = trustedCas;
        this.clock = clock;
    }

    @Override
    public AuthDecision lookup(String user, byte[] blob, InetAddress source) {
        if (dir == null) {
            return new AuthDecision.Rejected("no users configured (users.dir)");
        }
        if (!USER_NAME.matcher(user).matches()) {
            return new AuthDecision.Rejected("user name not acceptable");
        }
        Path file = dir.resolve(user);
        String text;
        try {
            if (Files.size(file) > MAX_FILE) {
                return new AuthDecision.Rejected("authorized_keys file too large");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new AuthDecision.Rejected("unknown user");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + file + ": " + e.getMessage());
            return new AuthDecision.Rejected("cannot read authorized_keys");
        }
        AuthorizedKeys.Parsed parsed = AuthorizedKeys.parse(text, file.toString());
        parsed.problems().forEach(p -> LOG.log(Level.WARNING, p));
        List<String> allowed = rules.stream().filter(r -> r.appliesTo(user)).map(DestinationRule::hostPort).toList();
        if (OpenSshCertificate.isCertificateType(keyType(blob))) {
            return certificate(user, blob, source, parsed.entries(), allowed);
        }
        for (AuthorizedKeys.Entry e : parsed.entries()) {
            if (e.options().certAuthority()) {
                // sshd(8): a cert-authority line trusts the key as a CA only, not as a user key.
                continue;
            }
            if (!Arrays.equals(e.blob(), blob)) {
                continue;
            }
            if (e.options().from() != null && !Patterns.addressList(e.options().from(), source)) {
                return new AuthDecision.Rejected("source address not in from= of the key (line " + e.line() + ")");
            }
            return new AuthDecision.Accepted(e.options(), allowed);
        }
        return new AuthDecision.Rejected("key not in the user's authorized_keys");
    }

    private static String keyType(byte[] blob) {
        try {
            return PublicKeys.keyType(blob);
        } catch (SshFormatException e) {
            return "";
        }
    }

    /**
     * A user certificate: trusted when its CA is on a cert-authority line of the user's file (whose
     * options then apply, principals= included) or in {@code trustedCas} (the user name must be a
     * principal), as sshd does for AuthorizedKeysFile and TrustedUserCAKeys.
     */
    private AuthDecision certificate(String user, byte[] blob, InetAddress source, List<AuthorizedKeys.Entry> entries,
            List<String> allowed) {
        OpenSshCertificate cert;
        try {
            cert = OpenSshCertificate.wrap(blob);
        } catch (SshFormatException e) {
            return new AuthDecision.Rejected("bad certificate: " + e.getMessage());
        }
        byte[] ca = cert.signatureKey();
        String id = " (certificate ID \"" + OpenSshCertificate.clip(cert.keyId()) + "\")";
        long now = clock.now().getEpochSecond();
        for (AuthorizedKeys.Entry e : entries) {
            if (!e.options().certAuthority() || !Arrays.equals(e.blob(), ca)) {
                continue;
            }
            if (e.options().from() != null && !Patterns.addressList(e.options().from(), source)) {
                return new AuthDecision.Rejected("source address not in from= of the CA (line " + e.line() + ")" + id);
            }
            List<String> principals = e.options().principals() != null ? e.options().principals() : List.of(user);
            return decide(UserCertificates.check(cert, principals, source, now), e.options(), allowed, id);
        }
        for (AuthorizedKeys.Entry e : trustedCas()) {
            if (Arrays.equals(e.blob(), ca)) {
                return decide(UserCertificates.check(cert, List.of(user), source, now), KeyOptions.NONE, allowed, id);
            }
        }
        return new AuthDecision.Rejected("certificate signed by an untrusted CA " + PublicKeys.fingerprint(ca) + id);
    }

    private static AuthDecision decide(UserCertificates.Outcome outcome, KeyOptions options, List<String> allowed, String id) {
        return switch (outcome) {
            case UserCertificates.Outcome.Invalid(String reason) -> new AuthDecision.Rejected(reason + id);
            case UserCertificates.Outcome.Valid(String description, boolean forwarding) ->
                    new AuthDecision.Accepted(forwarding ? options : options.withoutPortForwarding(), allowed, description);
        };
    }

    /** The trusted CA file, read at each use like the users' files; lines with options are skipped. */
    private List<AuthorizedKeys.Entry> trustedCas() {
        if (trustedCas == null) {
            return List.of();
        }
        String text;
        try {
            if (Files.size(trustedCas) > MAX_FILE) {
                LOG.log(Level.WARNING, trustedCas + " is too large; no CA trusted from it");
                return List.of();
            }
            text = Files.readString(trustedCas, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read trusted-user-ca-keys " + trustedCas + ": " + e.getMessage());
            return List.of();
        }
        AuthorizedKeys.Parsed parsed = AuthorizedKeys.parse(text, trustedCas.toString());
        parsed.problems().forEach(p -> LOG.log(Level.WARNING, p));
        return parsed.entries().stream().filter(e -> {
            if (!e.options().equals(KeyOptions.NONE)) {
                LOG.log(Level.WARNING, trustedCas + ":" + e.line() + ": options are not allowed here; line skipped");
                return false;
            }
            return true;
        }).toList();
    }
}
