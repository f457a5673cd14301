package atoll.ssh;

import atoll.ssh.auth.AuthorizedKeys;
import atoll.ssh.auth.Patterns;
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

    UsersDirectory(Path dir, List<DestinationRule> rules) {
        this.dir = dir;
        this.rules = List.copyOf(rules);
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
        for (AuthorizedKeys.Entry e : parsed.entries()) {
            if (!Arrays.equals(e.blob(), blob)) {
                continue;
            }
            if (e.options().from() != null && !Patterns.addressList(e.options().from(), source)) {
                return new AuthDecision.Rejected("source address not in from= of the key (line " + e.line() + ")");
            }
            List<String> allowed = rules.stream().filter(r -> r.appliesTo(user)).map(DestinationRule::hostPort).toList();
            return new AuthDecision.Accepted(e.options(), allowed);
        }
        return new AuthDecision.Rejected("key not in the user's authorized_keys");
    }
}
