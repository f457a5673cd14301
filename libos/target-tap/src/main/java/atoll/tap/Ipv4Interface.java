package atoll.tap;

import atoll.libos.config.ValueType;
import atoll.stack.wire.Ipv4Address;

/**
 * The stack's IPv4 address on the link and the length of its network prefix, written
 * {@code 192.0.2.2/24} (RFC 4632 §3.1 prefix notation).
 */
record Ipv4Interface(Ipv4Address address, int prefixLength) {

    Ipv4Interface {
        if (prefixLength < 1 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " not in 1..32");
        }
    }

    /** The network mask as a big-endian int. */
    int maskBits() {
        return -1 << (32 - prefixLength);
    }

    /** Whether {@code other} is on this link (same network prefix). */
    boolean onLink(int otherBits) {
        return Ipv4Address.sameSubnet(address.bits(), otherBits, prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }

    /** Config value type for {@code a.b.c.d/n}. */
    static final ValueType<Ipv4Interface> TYPE = new ValueType<>() {
        @Override
        public Ipv4Interface parse(String raw) {
            String t = raw.strip();
            int slash = t.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("no /prefix-length");
            }
            Ipv4Address a = Ipv4Address.parse(t.substring(0, slash));
            String len = t.substring(slash + 1);
            if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad prefix length");
            }
            return new Ipv4Interface(a, Integer.parseInt(len));
        }

        @Override
        public String format(Ipv4Interface value) {
            return value.toString();
        }

        @Override
        public String accepted() {
            return "an IPv4 address and prefix length, such as 192.0.2.2/24";
        }

        @Override
        public String name() {
            return "address/prefix";
        }
    };
}
