package atoll.stack.ip;

import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Static configuration of one Ethernet interface with one IPv4 address.
 *
 * @param mac the interface's own MAC address
 * @param address the interface's IPv4 address
 * @param prefixLength the on-link prefix (24 for {@code 192.0.2.2/24}), 0 to 32
 * @param gateway where off-link datagrams go; empty: only the on-link prefix is reachable
 * @param mtu the link MTU: the largest IPv4 datagram the link carries, 68 to 65535 (RFC 791 §3.2:
 *     "Every internet module must be able to forward a datagram of 68 octets without further
 *     fragmentation")
 */
public record IpConfig(MacAddress mac, Ipv4Address address, int prefixLength, Optional<Ipv4Address> gateway, int mtu) {
    /** RFC 791 §3.2: the smallest MTU every link must carry. */
    public static final int MIN_MTU = 68;
    /** RFC 894: Ethernet's MTU. */
    public static final int ETHERNET_MTU = 1500;

    public IpConfig {
        Objects.requireNonNull(mac);
        Objects.requireNonNull(address);
        Objects.requireNonNull(gateway);
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " not in 0..32");
        }
        if (mtu < MIN_MTU || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " not in 68..65535");
        }
        if (mac.isMulticast()) {
            throw new IllegalArgumentException("interface MAC " + mac + " is a group address");
        }
        gateway.ifPresent(g -> {
            if (!Ipv4Address.sameSubnet(g.bits(), address.bits(), prefixLength)) {
                throw new IllegalArgumentException("gateway " + g + " is not on " + address + "/" + prefixLength);
            }
        });
    }

    /**
     * The configuration of a point-to-point IPv4 interface (a tunnel): no link addresses (the MAC
     * is {@link MacAddress#ZERO} and unused), no gateway; every address in the prefix is reached
     * over the link.
     */
    public static IpConfig pointToPoint(Ipv4Address address, int prefixLength, int mtu) {
        return new IpConfig(MacAddress.ZERO, address, prefixLength, Optional.empty(), mtu);
    }

    /**
     * Parses the {@code --ipv4=192.0.2.2/24 --ipv4-gateway=192.0.2.1} style of configuration.
     *
     * @param cidr address and prefix, {@code a.b.c.d/n}
     * @param gateway a dotted quad, or null or empty for none
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IpConfig parse(MacAddress mac, String cidr, String gateway, int mtu) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected address/prefix, like 192.0.2.2/24: " + cidr);
        }
        String prefix = cidr.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        Optional<Ipv4Address> gw = gateway == null || gateway.isEmpty()
                ? Optional.empty() : Optional.of(Ipv4Address.parse(gateway));
        return new IpConfig(mac, Ipv4Address.parse(cidr.substring(0, slash)), Integer.parseInt(prefix), gw, mtu);
    }

    /** True if {@code destination} is on this link (same prefix). */
    public boolean onLink(int destination) {
        return Ipv4Address.sameSubnet(destination, address.bits(), prefixLength);
    }

    /** The subnet-directed broadcast address (RFC 919), or -1 for a /31 or /32. */
    public int subnetBroadcast() {
        if (prefixLength >= 31) {
            return -1;
        }
        return address.bits() | (-1 >>> prefixLength);
    }

    /** True for 255.255.255.255 and this subnet's broadcast address. */
    public boolean isBroadcast(int destination) {
        return destination == -1 || (prefixLength < 31 && destination == subnetBroadcast());
    }
}
