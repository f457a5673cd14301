package atoll.openvpn.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code topology subnet} address pool (OpenVPN's {@code --server NET MASK} with
 * {@code --topology subnet} and {@code --ifconfig-pool-persist}): the server takes the subnet's
 * first host address, clients the following ones; a client keeps its address by certificate common
 * name across reconnects and, through {@link #persisted()} written to the read-write store, across
 * restarts. Addresses are never reclaimed from a name (as OpenVPN's persist file does), so a full
 * pool refuses new names. Not thread-safe; no I/O: the caller stores {@link #persisted()}.
 */
public final class AddressPool {
    /** The outcome of asking for an address. */
    public sealed interface Lease {}

    /** {@code address} is the name's; {@code fresh} when it was assigned just now (store the pool). */
    public record Leased(Inet4Address address, boolean fresh) implements Lease {}

    /** Every client address is taken by another name. */
    public record Exhausted() implements Lease {}

    private final int network;
    private final int prefix;
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<Integer, String> byAddress = new TreeMap<>();

    private AddressPool(int network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * A pool over {@code cidr} ("10.8.0.0/24"; /8 to /29), with the leases of a {@link #persisted()}
     * value (empty for none). Persisted lines outside the subnet or duplicated are ignored.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code cidr}
     */
    public static AddressPool of(String cidr, byte[] persisted) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not address/prefix: " + cidr);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix is not a number: " + cidr);
        }
        if (prefix < 8 || prefix > 29) {
            throw new IllegalArgumentException("prefix /" + prefix + " outside /8../29: " + cidr);
        }
        int addr = ipv4(cidr.substring(0, slash));
        int mask = -1 << (32 - prefix);
        if ((addr & ~mask) != 0) {
            throw new IllegalArgumentException("host bits set in " + cidr);
        }
        AddressPool pool = new AddressPool(addr, prefix);
        for (String line : new String(persisted, StandardCharsets.UTF_8).split("\n")) {
            int sp = line.lastIndexOf(' ');
            if (sp <= 0) {
                continue;
            }
            try {
                int a = ipv4(line.substring(sp + 1));
                String name = line.substring(0, sp);
                if (pool.isClientAddress(a) && !pool.byAddress.containsKey(a) && !pool.byName.containsKey(name)) {
                    pool.byName.put(name, a);
                    pool.byAddress.put(a, name);
                }
            } catch (IllegalArgumentException skipped) {
                // a damaged line costs that lease only
            }
        }
        return pool;
    }

    private static int ipv4(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int a = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            if (v < 0 || v > 255 || p.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            a = (a << 8) | v;
        }
        return a;
    }

    private int broadcast() {
        return network | ~(-1 << (32 - prefix));
    }

    private boolean isClientAddress(int a) {
        return Integer.compareUnsigned(a, network + 2) >= 0 && Integer.compareUnsigned(a, broadcast()) < 0;
    }

    /** The server's own address in the subnet (the first host address). */
    public Inet4Address serverAddress() {
        return toInet(network + 1);
    }

    /** The subnet mask, for {@code ifconfig-push ADDRESS MASK}. */
    public Inet4Address netmask() {
        return toInet(-1 << (32 - prefix));
    }

    /** The address of {@code commonName}, assigning the lowest free one on first sight. */
    public Lease lease(String commonName) {
        Integer have = byName.get(commonName);
        if (have != null) {
            return new Leased(toInet(have), false);
        }
        for (int a = network + 2; a != broadcast(); a++) {
            if (!byAddress.containsKey(a)) {
                byName.put(commonName, a);
                byAddress.put(a, commonName);
                return new Leased(toInet(a), true);
            }
        }
        return new Exhausted();
    }

    /** "name address" lines, by address: the value to keep in the read-write store. */
    public byte[] persisted() {
        StringBuilder s = new StringBuilder();
        for (var e : byAddress.entrySet()) {
            s.append(e.getValue()).append(' ').append(toInet(e.getKey()).getHostAddress()).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Inet4Address toInet(int a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
