package atoll.linux;

import atoll.libos.net.TransportAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * C socket addresses in native memory, for {@code bind}, {@code getsockname} and the message
 * headers of {@link MessageBatch}.
 *
 * <pre>
 * struct sockaddr_in  {            struct sockaddr_in6 {         include/uapi/linux/in.h, in6.h
 *   sa_family_t sin_family;  0       sa_family_t sin6_family;  0   host byte order
 *   __be16      sin_port;    2       __be16      sin6_port;    2   network byte order
 *   struct in_addr sin_addr; 4       __be32      sin6_flowinfo;4
 *   unsigned char zero[8];   8       struct in6_addr sin6_addr; 8
 * };                        =16      __u32       sin6_scope_id;24
 *                                  };                          =28
 * </pre>
 */
public final class SocketAddresses {
    private SocketAddresses() {}

    /** Bytes that hold either form (sizeof(struct sockaddr_in6)). */
    public static final int SIZE = 28;
    static final int SOCKADDR_IN = 16;
    static final int SOCKADDR_IN6 = 28;
    private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Writes {@code address} into {@code into}; returns the length to pass with it. */
    public static int write(MemorySegment into, InetSocketAddress address) {
        into.asSlice(0, SIZE).fill((byte) 0);
        InetAddress a = address.getAddress();
        into.set(BE16, 2, (short) address.getPort());
        if (a instanceof Inet4Address) {
            into.set(FAMILY, 0, (short) Syscalls.AF_INET);
            MemorySegment.copy(a.getAddress(), 0, into, ValueLayout.JAVA_BYTE, 4, 4);
            return SOCKADDR_IN;
        }
        if (a instanceof Inet6Address v6) {
            into.set(FAMILY, 0, (short) Syscalls.AF_INET6);
            MemorySegment.copy(v6.getAddress(), 0, into, ValueLayout.JAVA_BYTE, 8, 16);
            into.set(ValueLayout.JAVA_INT_UNALIGNED, 24, v6.getScopeId());
            return SOCKADDR_IN6;
        }
        throw new IllegalArgumentException("unresolved address " + address);
    }

    /**
     * Writes {@code address} into {@code into} at {@code offset} without allocating (no slice; the
     * octets are read out of the reused value); returns the length to pass with it.
     */
    public static int write(MemorySegment into, long offset, TransportAddress address) {
        // Zero all SIZE (28) bytes: sin_zero and sin6_flowinfo must be 0.
        into.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, 0L);
        into.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8, 0L);
        into.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + 16, 0L);
        into.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 24, 0);
        into.set(BE16, offset + 2, (short) address.port());
        if (address.isIpv4()) {
            into.set(FAMILY, offset, (short) Syscalls.AF_INET);
            into.set(BE32, offset + 4, address.ipv4());
            return SOCKADDR_IN;
        }
        into.set(FAMILY, offset, (short) Syscalls.AF_INET6);
        for (int i = 0; i < 16; i++) {
            into.set(ValueLayout.JAVA_BYTE, offset + 8 + i, (byte) address.addressOctet(i));
        }
        into.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 24, address.scopeId());
        return SOCKADDR_IN6;
    }

    /**
     * Reads the address at {@code offset} in {@code from} into {@code into} without allocating.
     *
     * @param scratch at least 16 bytes, for an IPv6 address's octets on their way in
     * @return false (and {@code into} unchanged) for a family other than IPv4 and IPv6
     */
    public static boolean read(MemorySegment from, long offset, TransportAddress into, byte[] scratch) {
        int family = from.get(FAMILY, offset);
        int port = Short.toUnsignedInt(from.get(BE16, offset + 2));
        if (family == Syscalls.AF_INET) {
            into.setIpv4(from.get(BE32, offset + 4), port);
            return true;
        }
        if (family == Syscalls.AF_INET6) {
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset + 8, scratch, 0, 16);
            into.setIpv6(scratch, 0, from.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 24), port);
            return true;
        }
        return false;
    }

    /** The address family at {@code from} ({@link Syscalls#AF_INET} or {@link Syscalls#AF_INET6}). */
    public static int family(MemorySegment from) {
        return from.get(FAMILY, 0);
    }

    /** The port at {@code from}. */
    public static int port(MemorySegment from) {
        return Short.toUnsignedInt(from.get(BE16, 2));
    }

    /** Reads the address at {@code from} (allocates: for slow paths and tests). */
    public static InetSocketAddress read(MemorySegment from) {
        int family = family(from);
        try {
            if (family == Syscalls.AF_INET) {
                byte[] b = from.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(b), port(from));
            }
            if (family == Syscalls.AF_INET6) {
                byte[] b = from.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(b), port(from));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // unreachable: the byte arrays have a valid length
        }
        throw new IllegalArgumentException("address family " + family);
    }

    /** Text for error messages. */
    static String format(MemorySegment from) {
        try {
            return atoll.libos.net.Addresses.format(read(from.reinterpret(SIZE)));
        } catch (RuntimeException e) {
            return "(address family " + family(from.reinterpret(2)) + ")";
        }
    }
}
