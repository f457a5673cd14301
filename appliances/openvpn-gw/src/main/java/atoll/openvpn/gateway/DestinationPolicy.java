package atoll.openvpn.gateway;

import atoll.stack.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Which destinations a client may reach through the gateway: a list of allow rules, each an IPv4
 * prefix and optionally a port range, written {@code 198.51.100.0/24}, {@code 198.51.100.10:80},
 * {@code 0.0.0.0/0:443} or {@code 203.0.113.0/24:8000-8099} (a bare address is a /32). Everything
 * no rule allows is denied: the gateway answers it with a TCP reset or an ICMP "communication
 * administratively prohibited" and counts it. An empty list denies every destination beyond the
 * gateway itself.
 */
public record DestinationPolicy(List<Rule> rules) {
    /** One allowed prefix and port range (ports 0..65535 when none was given). */
    public record Rule(int prefix, int length, int firstPort, int lastPort) {
        public Rule {
            if (length < 0 || length > 32 || firstPort < 0 || lastPort > 65535 || firstPort > lastPort) {
                throw new IllegalArgumentException("bad rule");
            }
        }

        boolean matches(int address, int port) {
            return Ipv4Address.sameSubnet(address, prefix, length) && port >= firstPort && port <= lastPort;
        }

        @Override
        public String toString() {
            String p = new Ipv4Address(prefix) + "/" + length;
            return firstPort == 0 && lastPort == 65535 ? p : p + ":" + (firstPort == lastPort ? "" + firstPort
                    : firstPort + "-" + lastPort);
        }
    }

    public DestinationPolicy {
        rules = List.copyOf(rules);
    }

    /** Whether {@code address} and {@code port} (-1 for a protocol without ports) are allowed. */
    public boolean allows(int address, int port) {
        for (Rule r : rules) {
            if (port < 0 ? r.firstPort == 0 && r.lastPort == 65535 && Ipv4Address.sameSubnet(address, r.prefix, r.length)
                    : r.matches(address, port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses rules as the configuration writes them.
     *
     * @throws IllegalArgumentException naming the rule that is wrong and why
     */
    public static DestinationPolicy parse(List<String> texts) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : texts) {
            String t = raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            try {
                rules.add(rule(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + t + "': " + e.getMessage());
            }
        }
        return new DestinationPolicy(rules);
    }

    private static Rule rule(String t) {
        String net = t;
        int first = 0;
        int last = 65535;
        int colon = t.indexOf(':');
        if (colon >= 0) {
            net = t.substring(0, colon);
            String ports = t.substring(colon + 1);
            int dash = ports.indexOf('-');
            first = port(dash < 0 ? ports : ports.substring(0, dash));
            last = dash < 0 ? first : port(ports.substring(dash + 1));
            if (first > last) {
                throw new IllegalArgumentException("port range " + ports + " runs backwards");
            }
        }
        int length = 32;
        int slash = net.indexOf('/');
        if (slash >= 0) {
            String len = net.substring(slash + 1);
            if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(len) > 32) {
                throw new IllegalArgumentException("prefix length " + len + " not in 0..32");
            }
            length = Integer.parseInt(len);
            net = net.substring(0, slash);
        }
        int address = Ipv4Address.parse(net).bits();
        int mask = length == 0 ? 0 : -1 << (32 - length);
        if ((address & ~mask) != 0) {
            throw new IllegalArgumentException("host bits set after /" + length);
        }
        return new Rule(address, length, first, last);
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit) || Integer.parseInt(s) > 65535
                || Integer.parseInt(s) < 1) {
            throw new IllegalArgumentException("port " + s + " not in 1..65535");
        }
        return Integer.parseInt(s);
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "(nothing)" : String.join(",", rules.stream().map(Rule::toString).toList());
    }
}
