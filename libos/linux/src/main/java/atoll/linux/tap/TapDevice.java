package atoll.linux.tap;

import atoll.libos.buffer.PooledBuffer;
import atoll.linux.LinuxException;
import atoll.linux.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A Linux TAP device ({@code Documentation/networking/tuntap.rst}), opened non-blocking through
 * {@code /dev/net/tun}: each {@link #read} returns one Ethernet frame the kernel sent out of the
 * interface, each {@link #write} hands one frame to the kernel as if it arrived on the wire. With
 * {@code IFF_NO_PI} there is no packet-information prefix: the bytes are the Ethernet frame, from
 * the destination address to the end of the payload (no FCS).
 *
 * <p>If the interface does not exist, opening it creates it (it goes away on {@link #close});
 * if it exists (made with {@code ip tuntap add dev NAME mode tap}) this attaches to it. Either needs
 * CAP_NET_ADMIN, and happens in the calling process's network namespace.
 *
 * <p>Reads and writes are for one thread at a time (the event loop); {@link #close} from another
 * thread is safe once that thread no longer reads or writes.
 */
public final class TapDevice implements AutoCloseable {
    /** The clone device, {@code Documentation/networking/tuntap.rst} §3.1. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    // include/uapi/linux/if_tun.h: TUNSETIFF = _IOW('T', 202, int); the generic ioctl encoding,
    // identical on x86_64 and aarch64.
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    // include/uapi/linux/sockios.h.
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCGIFHWADDR = 0x8927;

    /**
     * struct ifreq, include/uapi/linux/if.h: char ifr_name[IFNAMSIZ = 16], then a union whose
     * largest member (struct ifmap, 24 bytes on LP64) makes it 40 bytes on x86_64 and aarch64.
     * ifr_flags (short), ifr_mtu (int) and ifr_hwaddr (struct sockaddr: u16 family, 14 bytes data)
     * all start at offset 16.
     */
    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final int IFR_UNION = 16;
    /** ifr_hwaddr.sa_data: the MAC address after the 2-byte family. */
    static final int IFR_HWADDR_DATA = IFR_UNION + 2;

    /** Names ip(8) accepts for an interface: 1 to IFNAMSIZ-1 bytes, no '/', ':' or whitespace. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    /** Room for the largest frame a TAP device hands out (64 KiB), for {@link #discard}. */
    private static final int DISCARD_SIZE = 65_536;

    private final String name;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private MemorySegment discardSpace;
    private final int mtu;
    private final byte[] kernelMac;
    private volatile boolean closed;

    private TapDevice(String name, int fd, int mtu, byte[] kernelMac) {
        this.name = name;
        this.fd = fd;
        this.mtu = mtu;
        this.kernelMac = kernelMac;
    }

    /**
     * Opens (attaching to or creating) the TAP interface {@code name}, non-blocking.
     *
     * @throws IllegalArgumentException if {@code name} is not a valid interface name
     * @throws LinuxException if the device cannot be opened; the message says why (no
     *     {@code /dev/net/tun}, no permission, the name is a TUN rather than a TAP device, ...)
     */
    public static TapDevice open(String name) throws LinuxException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an interface name: '" + name
                    + "' (1 to 15 letters, digits, '_', '.' or '-')");
        }
        int fd = Syscalls.open(CLONE_DEVICE, Syscalls.O_RDWR | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(arena, name);
            ifr.set(ValueLayout.JAVA_SHORT_UNALIGNED, IFR_UNION, (short) (IFF_TAP | IFF_NO_PI));
            Syscalls.ioctl(fd, TUNSETIFF, ifr, "TUNSETIFF " + name);
            // TUNSETIFF writes back the name the kernel used (the same, as it has no '%d').
            int mtu;
            byte[] mac;
            int sock = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC, 0);
            try {
                MemorySegment q = ifreq(arena, name);
                Syscalls.ioctl(sock, SIOCGIFMTU, q, "SIOCGIFMTU " + name);
                mtu = q.get(ValueLayout.JAVA_INT_UNALIGNED, IFR_UNION);
                q = ifreq(arena, name);
                Syscalls.ioctl(sock, SIOCGIFHWADDR, q, "SIOCGIFHWADDR " + name);
                mac = q.asSlice(IFR_HWADDR_DATA, 6).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                Syscalls.close(sock);
            }
            return new TapDevice(name, fd, mtu, mac);
        } catch (LinuxException | RuntimeException e) {
            try {
                Syscalls.close(fd);
            } catch (LinuxException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static MemorySegment ifreq(Arena arena, String name) {
        MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8); // zeroed
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length); // NUL-terminated: n.length < IFNAMSIZ
        return ifr;
    }

    /** The interface's name. */
    public String name() {
        return name;
    }

    /** The descriptor, to register with an {@link atoll.linux.Epoll} for readability. */
    public int fd() {
        return fd;
    }

    /** The interface's MTU when it was opened: the largest IP packet, Ethernet header excluded. */
    public int mtu() {
        return mtu;
    }

    /**
     * The MAC address of the kernel's side of the interface (what {@code ip link} shows): the
     * kernel sends frames from it. The appliance's own address is a different one.
     */
    public byte[] kernelMac() {
        return kernelMac.clone();
    }

    /** {@link #kernelMac()} as {@code 02:00:5e:...}. */
    public String kernelMacText() {
        return HexFormat.ofDelimiter(":").formatHex(kernelMac);
    }

    /**
     * Reads one frame into the buffer's tailroom and extends its window by the frame's length. A
     * frame longer than the tailroom is cut to it by the kernel (the rest is lost): give buffers
     * with at least MTU + 14 bytes of tailroom.
     *
     * @return the frame's length, or {@link Syscalls#WOULD_BLOCK} when no frame is waiting
     */
    public int read(PooledBuffer into) throws LinuxException {
        MemorySegment tail = into.memory().asSlice(into.end(), into.tailroom());
        long n = Syscalls.read(fd, tail);
        if (n > 0) {
            into.append((int) n);
        }
        return (int) n;
    }

    /**
     * Reads one frame and drops it (when no pooled buffer is free: the frame must still leave the
     * device's queue, or a level-triggered loop would spin on it).
     *
     * @return the frame's length, or {@link Syscalls#WOULD_BLOCK} when no frame is waiting
     */
    public int discard() throws LinuxException {
        if (discardSpace == null) {
            discardSpace = arena.allocate(DISCARD_SIZE, 64);
        }
        return (int) Syscalls.read(fd, discardSpace);
    }

    /**
     * Writes the buffer's data window as one frame. The buffer stays the caller's.
     *
     * @return the bytes written (the whole frame), or {@link Syscalls#WOULD_BLOCK} if the device
     *     cannot take it now
     */
    public int write(PooledBuffer frame) throws LinuxException {
        return (int) Syscalls.write(fd, frame.data());
    }

    /** Closes the descriptor; a device this opened created goes away. Idempotent. */
    @Override
    public synchronized void close() throws LinuxException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Syscalls.close(fd);
        } finally {
            arena.close();
        }
    }
}
