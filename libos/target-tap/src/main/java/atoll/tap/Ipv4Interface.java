package atoll.tap;

import atoll.libos.config.ValueType;
import atoll.libos.config.ValueTypes;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The stack's IPv4 address on the link and the length of its network prefix, written
 * {@code 192.0.2.2/24} (RFC 4632 §3.1 prefix notation).
 */
record Ipv4Interface(Inet4Address address, int prefixLength) {

    Ipv4Interface {
        if (prefixLength < 1 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " not in 1..32");
        }
    }

    /** The address as a big-endian int. */
    int addressBits() {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** The network mask as a big-endian int. */
    int maskBits() {
        return prefixLength == 32 ? -1 : ~(-1 >>> prefixLength);
    }

    /** Whether {@code other} is on this link (same network prefix). */
    boolean onLink(int otherBits) {
        return ((otherBits ^ addressBits()) & maskBits()) == 0;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
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
            InetAddress a = ValueTypes.inetAddress().parse(t.substring(0, slash));
            if (!(a instanceof Inet4Address v4)) {
                throw new IllegalArgumentException("not an IPv4 address");
            }
            int len;
            try {
                len = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length", e);
            }
            return new Ipv4Interface(v4, len);
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
