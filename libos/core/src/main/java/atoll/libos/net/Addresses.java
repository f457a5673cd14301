package atoll.libos.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Text forms of addresses for logs and messages. */
public final class Addresses {
    private Addresses() {}

    /**
     * An address in its recommended text form: dotted quad for IPv4; for IPv6 RFC 5952 §4 — lower
     * case, leading zeros dropped, the longest run of two or more zero groups (the first if tied)
     * shortened to {@code ::}. No name lookup.
     */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            // RFC 5952 §4.2.2: "::" MUST NOT shorten just one 16-bit 0 field.
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** {@code host:port}, with IPv6 hosts in brackets (RFC 5952 §6). */
    public static String format(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        String host = format(a);
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
