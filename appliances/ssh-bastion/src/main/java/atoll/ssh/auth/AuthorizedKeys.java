package atoll.ssh.auth;

import atoll.ssh.wire.SshFormatException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Parser of an OpenSSH authorized_keys file (sshd(8), AUTHORIZED_KEYS FILE FORMAT): one key per
 * line, {@code [options] keytype base64-key [comment]}; blank lines and lines starting with
 * {@code #} are ignored. A line that cannot be used is skipped and reported, as sshd does.
 */
public final class AuthorizedKeys {
    private AuthorizedKeys() {}

    /** One usable key and its options. */
    public record Entry(String keyType, byte[] blob, KeyOptions options, int line) {}

    /** The usable entries and one message per skipped line. */
    public record Parsed(List<Entry> entries, List<String> problems) {}

    static final Set<String> KEY_TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");

    /** Options sshd knows that only restrict what a bastion never offers (ptys, shells, X11...). */
    static final Set<String> HARMLESS = Set.of("no-agent-forwarding", "no-pty", "no-user-rc", "no-x11-forwarding",
            "agent-forwarding", "pty", "user-rc", "x11-forwarding", "no-touch-required", "verify-required");

    public static Parsed parse(String text, String where) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(parseLine(line, i + 1));
            } catch (SshFormatException e) {
                problems.add(where + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed(List.copyOf(entries), List.copyOf(problems));
    }

    static Entry parseLine(String line, int number) throws SshFormatException {
        KeyOptions options = KeyOptions.NONE;
        int at = 0;
        String firstToken = token(line, 0);
        if (firstToken.matches("(ssh|ecdsa|sk)-[a-z0-9@.-]+") && !KEY_TYPES.contains(firstToken)) {
            throw new SshFormatException("unsupported key type '" + clip(firstToken) + "'");
        }
        if (!KEY_TYPES.contains(firstToken)) {
            int[] end = new int[1];
            options = options(line, end);
            at = skipSpace(line, end[0]);
        }
        String type = token(line, at);
        if (!KEY_TYPES.contains(type)) {
            throw new SshFormatException("unsupported key type '" + clip(type) + "'");
        }
        at = skipSpace(line, at + type.length());
        String base64 = token(line, at);
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SshFormatException("key is not base64");
        }
        PublicKeys.check(blob);
        String inner = PublicKeys.keyType(blob);
        if (!inner.equals(type)) {
            throw new SshFormatException("line says " + type + " but the key is " + clip(inner));
        }
        return new Entry(type, blob, options, number);
    }

    private static String clip(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static String token(String s, int from) {
        int end = from;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return s.substring(from, end);
    }

    private static int skipSpace(String s, int from) {
        while (from < s.length() && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** Parses the comma-separated options up to the first unquoted blank. */
    private static KeyOptions options(String s, int[] end) throws SshFormatException {
        List<String> from = null;
        List<String> permitOpen = null;
        List<String> principals = null;
        boolean portForwarding = true;
        boolean certAuthority = false;
        int i = 0;
        while (true) {
            int nameStart = i;
            while (i < s.length() && s.charAt(i) != '=' && s.charAt(i) != ',' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i).toLowerCase(java.util.Locale.ROOT);
            String value = null;
            if (i < s.length() && s.charAt(i) == '=') {
                i++;
                if (i >= s.length() || s.charAt(i) != '"') {
                    throw new SshFormatException("option " + clip(name) + " needs a quoted value");
                }
                i++;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (i >= s.length()) {
                        throw new SshFormatException("unterminated quoted value of option " + clip(name));
                    }
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        v.append('"');
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        v.append(c);
                        i++;
                    }
                }
                value = v.toString();
            }
            switch (name) {
                case "restrict", "no-port-forwarding" -> portForwarding = false;
                case "port-forwarding" -> portForwarding = true;
                case "from" -> from = list(name, value);
                case "cert-authority" -> {
                    if (value != null) {
                        throw new SshFormatException("option cert-authority takes no value");
                    }
                    certAuthority = true;
                }
                case "principals" -> principals = list(name, value);
                case "permitopen" -> {
                    List<String> more = list(name, value);
                    for (String p : more) {
                        if (p.lastIndexOf(':') <= 0) {
                            throw new SshFormatException("permitopen=\"" + clip(p) + "\" is not host:port");
                        }
                    }
                    permitOpen = permitOpen == null ? new ArrayList<>(more) : concat(permitOpen, more);
                }
                default -> {
                    if (!HARMLESS.contains(name) || value != null) {
                        // sshd skips a line with an option it does not understand; so do we, as
                        // honouring a restriction we do not know is impossible.
                        throw new SshFormatException("unsupported option '" + clip(name) + "'");
                    }
                }
            }
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                continue;
            }
            if (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                throw new SshFormatException("bad option syntax at column " + (i + 1));
            }
            end[0] = i;
            if (principals != null && !certAuthority) {
                // sshd(8): principals= is only valid together with cert-authority.
                throw new SshFormatException("option principals without cert-authority");
            }
            return new KeyOptions(from == null ? null : List.copyOf(from),
                    permitOpen == null ? null : List.copyOf(permitOpen), portForwarding, certAuthority,
                    principals == null ? null : List.copyOf(principals));
        }
    }

    private static List<String> list(String name, String value) throws SshFormatException {
        if (value == null || value.isEmpty()) {
            throw new SshFormatException("option " + name + " needs a value");
        }
        return List.of(value.split(",", -1));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }
}
