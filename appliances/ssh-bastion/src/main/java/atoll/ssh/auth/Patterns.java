package atoll.ssh.auth;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * OpenSSH-style patterns (ssh_config(5) PATTERNS): {@code *} any run of characters, {@code ?} one
 * character, a leading {@code !} negates, and in address lists a/len is a CIDR block.
 */
public final class Patterns {
    private Patterns() {}

    /** Case-insensitive glob match of the whole text. */
    public static boolean glob(String pattern, String text) {
        return glob(pattern.toLowerCase(Locale.ROOT), 0, text.toLowerCase(Locale.ROOT), 0);
    }

    private static boolean glob(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int k = ti; k <= t.length(); k++) {
                    if (glob(p, pi, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length() || (c != '?' && c != t.charAt(ti))) {
                return false;
            }
            pi++;
            ti++;
        }
        return ti == t.length();
    }

    /**
     * Whether {@code address} matches a pattern list as in authorized_keys {@code from=}: a negated
     * match anywhere refuses; otherwise any positive match accepts.
     */
    public static boolean addressList(List<String> patterns, InetAddress address) {
        String text = atoll.libos.net.Addresses.format(address);
        boolean matched = false;
        for (String raw : patterns) {
            boolean negated = raw.startsWith("!");
            String p = negated ? raw.substring(1) : raw;
            boolean hit = p.contains("/") ? cidr(p, address) : glob(p, text);
            if (hit && negated) {
                return false;
            }
            matched |= hit;
        }
        return matched;
    }

    static boolean cidr(String block, InetAddress address) {
        int slash = block.indexOf('/');
        try {
            InetAddress net = InetAddress.ofLiteral(block.substring(0, slash));
            int bits = Integer.parseInt(block.substring(slash + 1));
            byte[] a = net.getAddress();
            byte[] b = address.getAddress();
            if (a.length != b.length || bits < 0 || bits > a.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a {@code host:port} pattern (host a glob, {@code [v6]} allowed; port a number or
     * {@code *}) admits the destination.
     */
    public static boolean destination(String pattern, String host, int port) {
        int colon = pattern.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String hp = pattern.substring(0, colon);
        String pp = pattern.substring(colon + 1);
        if (hp.startsWith("[") && hp.endsWith("]")) {
            hp = hp.substring(1, hp.length() - 1);
        }
        if (!pp.equals("*") && !pp.equals(Integer.toString(port))) {
            return false;
        }
        return glob(hp, host);
    }
}
