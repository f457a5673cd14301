package atoll.libos.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP address and a port (a "transport address", in the terms of STUN and ICE, RFC 8489 and
 * RFC 8445), as a <em>reusable, mutable</em> value: a target's event loop owns a few instances
 * and overwrites them for every datagram, so that many clients can talk at once without an object
 * per datagram.
 *
 * <p>Two forms of the same value can be held, and each is made only when first asked for: the raw
 * form (address octets, IPv6 scope id, port), which a target that parses IP headers itself fills
 * in with {@link #setIpv4} or {@link #setIpv6}; and the {@link InetSocketAddress} form, which the
 * socket target already has from java.nio and stores with {@link #set(InetSocketAddress)} (keeping
 * the reference, copying nothing). Reading the other form the first time allocates (the JDK gives
 * no allocation-free access to an {@link InetAddress}'s octets); {@link #port()},
 * {@link #isIpv4()}, {@link #scopeId()}, {@link #equals} between two values of the same form and
 * {@link #set(TransportAddress)} never do.
 *
 * <p>Ownership: whoever created an instance owns it. An instance handed to a callback (see
 * {@link DatagramHandler}) belongs to the caller and is valid only during the call; a holder that
 * needs it later takes {@link #copy()} (or {@link #toInetSocketAddress()}, which is immutable).
 * Equality is by value (address, scope id, port), so a copy may key a map; never mutate an
 * instance while it is a key. Not thread-safe.
 */
public final class TransportAddress {
    /** Octets in an IPv4 address (RFC 791 §3.1). */
    private static final int IPV4_LENGTH = 4;
    /** Octets in an IPv6 address (RFC 8200 §3). */
    private static final int IPV6_LENGTH = 16;
    /** Largest port number (RFC 768, RFC 9293 §3.1: 16 bits). */
    private static final int MAX_PORT = 0xFFFF;

    private final byte[] octets = new byte[IPV6_LENGTH];
    /** 0 while unset, else 4 or 16. */
    private int length;
    private int scopeId;
    private int port;
    /** True when {@link #octets} hold the value (else only {@link #inet} does). */
    private boolean octetsKnown;
    /** The java.net form, when made or given; immutable, so copies may share it. */
    private InetSocketAddress inet;

    /** An unset value; set it before reading it. */
    public TransportAddress() {}

    /** A new value holding {@code address} (which must be resolved). */
    public static TransportAddress of(InetSocketAddress address) {
        return new TransportAddress().set(address);
    }

    /**
     * Holds {@code address}, keeping the reference: no copy, no allocation.
     *
     * @throws IllegalArgumentException if {@code address} is unresolved
     */
    public TransportAddress set(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString());
        }
        length = a instanceof Inet4Address ? IPV4_LENGTH : IPV6_LENGTH;
        scopeId = a instanceof Inet6Address six ? six.getScopeId() : 0;
        port = address.getPort();
        octetsKnown = false;
        inet = address;
        return this;
    }

    /** Takes the value of {@code other} (an unset {@code other} unsets this). Never allocates. */
    public TransportAddress set(TransportAddress other) {
        if (other == this) {
            return this;
        }
        length = other.length;
        scopeId = other.scopeId;
        port = other.port;
        octetsKnown = other.octetsKnown;
        if (octetsKnown) {
            System.arraycopy(other.octets, 0, octets, 0, length);
        }
        inet = other.inet;
        return this;
    }

    /**
     * Holds an IPv4 address and a port.
     *
     * @param address the address's four octets, big-endian (192.0.2.1 is {@code 0xC0000201})
     */
    public TransportAddress setIpv4(int address, int port) {
        checkPort(port);
        octets[0] = (byte) (address >>> 24);
        octets[1] = (byte) (address >>> 16);
        octets[2] = (byte) (address >>> 8);
        octets[3] = (byte) address;
        length = IPV4_LENGTH;
        scopeId = 0;
        this.port = port;
        octetsKnown = true;
        inet = null;
        return this;
    }

    /**
     * Holds an IPv6 address (sixteen octets from {@code address[offset]}), its scope id (0 for
     * none; RFC 4007 §6) and a port.
     */
    public TransportAddress setIpv6(byte[] address, int offset, int scopeId, int port) {
        checkPort(port);
        Objects.checkFromIndexSize(offset, IPV6_LENGTH, address.length);
        System.arraycopy(address, offset, octets, 0, IPV6_LENGTH);
        length = IPV6_LENGTH;
        this.scopeId = scopeId;
        this.port = port;
        octetsKnown = true;
        inet = null;
        return this;
    }

    /** Back to unset. */
    public TransportAddress clear() {
        length = 0;
        scopeId = 0;
        port = 0;
        octetsKnown = false;
        inet = null;
        return this;
    }

    /** True once a value is held. */
    public boolean isSet() {
        return length != 0;
    }

    /** True if the address is IPv4. */
    public boolean isIpv4() {
        checkSet();
        return length == IPV4_LENGTH;
    }

    /** True if the address is IPv6. */
    public boolean isIpv6() {
        checkSet();
        return length == IPV6_LENGTH;
    }

    /** Octets in the address: 4 or 16. */
    public int addressLength() {
        checkSet();
        return length;
    }

    /**
     * The IPv4 address as a big-endian int.
     *
     * @throws IllegalStateException if the address is not IPv4
     */
    public int ipv4() {
        if (!isIpv4()) {
            throw new IllegalStateException("not an IPv4 address: " + this);
        }
        octets();
        return (octets[0] & 0xFF) << 24 | (octets[1] & 0xFF) << 16 | (octets[2] & 0xFF) << 8 | (octets[3] & 0xFF);
    }

    /** Octet {@code i} of the address (network order). */
    public int addressOctet(int i) {
        Objects.checkIndex(i, addressLength());
        return octets()[i] & 0xFF;
    }

    /** Copies the address's {@link #addressLength()} octets into {@code dst} at {@code offset}. */
    public void copyAddress(byte[] dst, int offset) {
        int n = addressLength();
        System.arraycopy(octets(), 0, dst, offset, n);
    }

    /** The IPv6 scope id (RFC 4007 §6), 0 for none and for IPv4. */
    public int scopeId() {
        checkSet();
        return scopeId;
    }

    /** The port. */
    public int port() {
        checkSet();
        return port;
    }

    /** True for 0.0.0.0 and :: (the unspecified address, RFC 4291 §2.5.2). */
    public boolean isAnyLocal() {
        if (inet != null) {
            return inet.getAddress().isAnyLocalAddress();
        }
        checkSet();
        for (int i = 0; i < length; i++) {
            if (octets[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value as an (immutable) {@link InetSocketAddress}. Allocates the first time when the
     * value was set from octets; the same object afterwards, and at once when it was set from one.
     */
    public InetSocketAddress toInetSocketAddress() {
        checkSet();
        if (inet == null) {
            byte[] a = Arrays.copyOf(octets, length);
            try {
                InetAddress ia = length == IPV6_LENGTH && scopeId != 0
                        ? Inet6Address.getByAddress(null, a, scopeId)
                        : InetAddress.getByAddress(a);
                inet = new InetSocketAddress(ia, port);
            } catch (UnknownHostException e) {
                throw new AssertionError("4 or 16 octets are always an address", e);
            }
        }
        return inet;
    }

    /** An independent value equal to this one, owned by the caller. */
    public TransportAddress copy() {
        return new TransportAddress().set(this);
    }

    /**
     * Equal when both hold the same address, scope id and port (or both are unset). Compares
     * without allocating when both were set from the same form.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransportAddress other)) {
            return false;
        }
        if (length != other.length || port != other.port || scopeId != other.scopeId) {
            return false;
        }
        if (length == 0) {
            return true;
        }
        if (inet != null && other.inet != null) {
            return inet.getAddress().equals(other.inet.getAddress());
        }
        return Arrays.equals(octets(), 0, length, other.octets(), 0, length);
    }

    @Override
    public int hashCode() {
        if (length == 0) {
            return 0;
        }
        int h = port * 31 + scopeId;
        byte[] o = octets();
        for (int i = 0; i < length; i++) {
            h = h * 31 + o[i];
        }
        return h;
    }

    /** {@code 192.0.2.1:53} or {@code [2001:db8::1]:53} (see {@link Addresses#format}). */
    @Override
    public String toString() {
        return length == 0 ? "(unset)" : Addresses.format(toInetSocketAddress());
    }

    private byte[] octets() {
        checkSet();
        if (!octetsKnown) {
            // The one allocation on this path: the JDK hands out only a copy of the octets.
            byte[] a = inet.getAddress().getAddress();
            System.arraycopy(a, 0, octets, 0, length);
            octetsKnown = true;
        }
        return octets;
    }

    private void checkSet() {
        if (length == 0) {
            throw new IllegalStateException("transport address not set");
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
    }
}
