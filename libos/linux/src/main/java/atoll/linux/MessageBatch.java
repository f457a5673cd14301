package atoll.linux;

import atoll.libos.net.TransportAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native message headers for {@code recvmmsg(2)} and {@code sendmmsg(2)}: one datagram per entry,
 * each with one data segment (one iovec) and room for a socket address. Built once and reused, so
 * a batch of datagrams costs one system call and no allocation.
 *
 * <pre>
 * struct iovec   { void *iov_base; 0   size_t iov_len; 8 }                      = 16
 * struct msghdr  { void *msg_name; 0   socklen_t msg_namelen; 8
 *                  struct iovec *msg_iov; 16   size_t msg_iovlen; 24
 *                  void *msg_control; 32   size_t msg_controllen; 40
 *                  int msg_flags; 48 }                                           = 56
 * struct mmsghdr { struct msghdr msg_hdr; 0   unsigned int msg_len; 56 }        = 64
 * </pre>
 * (LP64 layouts: identical on x86_64 and aarch64.)
 *
 * <p>The data segments must stay valid while the batch is used with them (pooled buffers do).
 * One thread at a time.
 */
public final class MessageBatch implements AutoCloseable {
    static final int IOVEC = 16;
    static final int MMSGHDR = 64;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;

    private final int capacity;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment names;

    public MessageBatch(int capacity) {
        if (capacity <= 0 || capacity > 1024) { // UIO_MAXIOV, the kernel's cap on vlen
            throw new IllegalArgumentException("capacity " + capacity + " not in 1..1024");
        }
        this.capacity = capacity;
        headers = arena.allocate((long) MMSGHDR * capacity, 8);
        iovecs = arena.allocate((long) IOVEC * capacity, 8);
        names = arena.allocate((long) SocketAddresses.SIZE * capacity, 8);
        for (int i = 0; i < capacity; i++) {
            long h = (long) i * MMSGHDR;
            headers.set(ValueLayout.ADDRESS, h + MSG_NAME, name(i));
            headers.set(ValueLayout.ADDRESS, h + MSG_IOV, iovecs.asSlice((long) i * IOVEC, IOVEC));
            headers.set(ValueLayout.JAVA_LONG, h + MSG_IOVLEN, 1L);
        }
    }

    public int capacity() {
        return capacity;
    }

    MemorySegment headers() {
        return headers;
    }

    /** The headers from message {@code first} on (sendmmsg of a batch's tail). */
    MemorySegment headers(int first) {
        return first == 0 ? headers : headers.asSlice((long) first * MMSGHDR);
    }

    private MemorySegment name(int i) {
        return names.asSlice((long) i * SocketAddresses.SIZE, SocketAddresses.SIZE);
    }

    /**
     * Points message {@code i} at {@code data}: the bytes to send, or the space to receive into.
     */
    public void data(int i, MemorySegment data) {
        long v = (long) i * IOVEC;
        iovecs.set(ValueLayout.ADDRESS, v, data);
        iovecs.set(ValueLayout.JAVA_LONG, v + 8, data.byteSize());
    }

    /**
     * Points message {@code i} at {@code length} bytes at {@code offset} in {@code memory} (a
     * native segment) without making a slice: the allocation-free form of {@link #data(int, MemorySegment)}.
     */
    public void data(int i, MemorySegment memory, long offset, long length) {
        java.util.Objects.checkFromIndexSize(offset, length, memory.byteSize());
        long v = (long) i * IOVEC;
        iovecs.set(ValueLayout.JAVA_LONG, v, memory.address() + offset);
        iovecs.set(ValueLayout.JAVA_LONG, v + 8, length);
    }

    /** Sets where message {@code i} goes (for {@code sendmmsg}). */
    public void destination(int i, java.net.InetSocketAddress to) {
        int len = SocketAddresses.write(name(i), to);
        headers.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN, len);
    }

    /**
     * Sets where message {@code i} goes from a reused transport address, without allocating when
     * it holds octets (as {@link #source(int, TransportAddress, byte[])} leaves it).
     */
    public void destination(int i, TransportAddress to) {
        int len = SocketAddresses.write(names, (long) i * SocketAddresses.SIZE, to);
        headers.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN, len);
    }

    /** Gives message {@code to} the destination of message {@code from} (moving a queue's tail forward). */
    public void copyDestination(int from, int to) {
        MemorySegment.copy(names, (long) from * SocketAddresses.SIZE, names, (long) to * SocketAddresses.SIZE,
                SocketAddresses.SIZE);
        headers.set(ValueLayout.JAVA_INT, (long) to * MMSGHDR + MSG_NAMELEN,
                headers.get(ValueLayout.JAVA_INT, (long) from * MMSGHDR + MSG_NAMELEN));
    }

    /** The source of received message {@code i} (as a native socket address, no allocation beyond the view). */
    public MemorySegment source(int i) {
        return name(i);
    }

    /**
     * Reads the source of received message {@code i} into {@code into}, allocating nothing.
     *
     * @param scratch at least 16 bytes, the caller's, for an IPv6 address on its way in
     * @return false (and {@code into} unchanged) if the kernel gave no IPv4 or IPv6 address
     */
    public boolean source(int i, TransportAddress into, byte[] scratch) {
        return SocketAddresses.read(names, (long) i * SocketAddresses.SIZE, into, scratch);
    }

    /** Bytes received into (or sent from) message {@code i} by the last call. */
    public int length(int i) {
        return headers.get(ValueLayout.JAVA_INT, (long) i * MMSGHDR + MSG_LEN);
    }

    /** The flags the kernel returned for message {@code i} (MSG_TRUNC = 0x20: the datagram was cut). */
    public int flags(int i) {
        return headers.get(ValueLayout.JAVA_INT, (long) i * MMSGHDR + MSG_FLAGS);
    }

    /** Resets each header's address length, which {@code recvmmsg} overwrites. */
    void prepareReceive(int count) {
        if (count > capacity) {
            throw new IllegalArgumentException("count " + count + " > capacity " + capacity);
        }
        for (int i = 0; i < count; i++) {
            headers.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN, SocketAddresses.SIZE);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
