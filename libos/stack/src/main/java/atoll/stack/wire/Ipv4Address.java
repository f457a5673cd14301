package atoll.stack.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 address as a value; the views hand out the same 32 bits as a plain {@code int}. */
public record Ipv4Address(int bits) {
    /** RFC 919 §7: the limited broadcast address. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xffff_ffff);
    /** RFC 1122 §3.2.1.3 (a): "this host on this network", only as a source while booting. */
    public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);

    /**
     * Parses dotted-quad text ({@code 192.0.2.1}): four decimal octets 0–255, no name lookup.
     *
     * @throws IllegalArgumentException naming the text if it is not one
     */
    public static Ipv4Address parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int bits = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            bits = (bits << 8) | v;
        }
        return new Ipv4Address(bits);
    }

    public static Ipv4Address of(Inet4Address address) {
        byte[] b = address.getAddress();
        return new Ipv4Address(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }

    public Inet4Address toInetAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid address
        }
    }

    /** RFC 1112 §4: class D, 224.0.0.0/4. */
    public boolean isMulticast() {
        return isMulticast(bits);
    }

    public static boolean isMulticast(int bits) {
        return (bits & 0xf000_0000) == 0xe000_0000;
    }

    /** True if both addresses share their first {@code prefixLength} bits. */
    public static boolean sameSubnet(int a, int b, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (a & mask) == (b & mask);
    }

    @Override
    public String toString() {
        return toString(bits);
    }

    public static String toString(int bits) {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
