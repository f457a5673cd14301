package atoll.dns.xfr;

import atoll.dns.wire.Name;
import atoll.libos.config.ValueType;
import atoll.libos.config.ValueTypes;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One entry of the {@code xfr.allow} key: who may transfer {@code zone}. A client matches when
 * its address is inside {@code network/prefixLength} (when given) and its request was signed with
 * the key {@code keyName} (when given). Entries for the same zone are alternatives.
 *
 * @param network null when any address will do
 * @param keyName null when no TSIG key is required
 */
public record AclRule(Name zone, InetAddress network, int prefixLength, Name keyName) {

    /** Whether {@code client}, signed with {@code key} (null if unsigned), matches this rule. */
    public boolean allows(InetAddress client, Name key) {
        if (keyName != null && (key == null || !keyName.equals(key))) {
            return false;
        }
        return network == null || inPrefix(client, network, prefixLength);
    }

    /** Whether {@code rules} let {@code client} (signed with {@code key}, or null) transfer {@code zone}. */
    public static boolean allowed(List<AclRule> rules, Name zone, InetAddress client, Name key) {
        for (AclRule r : rules) {
            if (r.zone.equals(zone) && r.allows(client, key)) {
                return true;
            }
        }
        return false;
    }

    static boolean inPrefix(InetAddress address, InetAddress network, int length) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >>> (bit & 7);
            if ((a[bit >>> 3] & mask) != (n[bit >>> 3] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String who = network == null ? "" : network.getHostAddress() + "/" + prefixLength;
        String key = keyName == null ? "" : "key:" + keyName;
        return zone + "=" + who + (!who.isEmpty() && !key.isEmpty() ? "+" : "") + key;
    }

    /** {@code origin=ADDRESS[/LENGTH]}, {@code origin=key:NAME} or {@code origin=ADDRESS[/LENGTH]+key:NAME}. */
    static AclRule parse(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(entry);
        }
        Name zone = Name.parse(entry.substring(0, eq).strip());
        InetAddress network = null;
        int length = -1;
        Name key = null;
        for (String part : entry.substring(eq + 1).strip().split("\\+")) {
            String p = part.strip();
            if (p.startsWith("key:")) {
                if (key != null) {
                    throw new IllegalArgumentException("two keys");
                }
                key = Name.parse(p.substring(4));
            } else {
                if (network != null) {
                    throw new IllegalArgumentException("two addresses");
                }
                int slash = p.indexOf('/');
                network = ValueTypes.inetAddress().parse(slash < 0 ? p : p.substring(0, slash));
                int max = network.getAddress().length * 8;
                length = slash < 0 ? max : Integer.parseInt(ascii(p.substring(slash + 1)));
                if (length < 0 || length > max) {
                    throw new IllegalArgumentException("prefix length");
                }
            }
        }
        if (network == null && key == null) {
            throw new IllegalArgumentException("nothing to match");
        }
        return new AclRule(zone, network, length, key);
    }

    static String ascii(String digits) {
        if (!digits.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("not a number: " + digits);
        }
        return digits;
    }

    /** The {@code xfr.allow} value type: comma-separated entries. */
    public static final ValueType<List<AclRule>> LIST = new ValueType<>() {
        @Override
        public List<AclRule> parse(String raw) {
            List<AclRule> out = new ArrayList<>();
            for (String item : raw.split(",")) {
                if (!item.isBlank()) {
                    out.add(AclRule.parse(item.strip()));
                }
            }
            return List.copyOf(out);
        }

        @Override
        public String format(List<AclRule> value) {
            return value.stream().map(AclRule::toString).collect(Collectors.joining(","));
        }

        @Override
        public String accepted() {
            return "comma-separated origin=ADDRESS[/LENGTH], origin=key:KEYNAME or origin=ADDRESS[/LENGTH]+key:KEYNAME"
                    + " entries (e.g. example.com.=127.0.0.0/8+key:xfr-key)";
        }

        @Override
        public String name() {
            return "transfer ACL";
        }
    };
}
