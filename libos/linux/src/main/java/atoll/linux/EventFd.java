package atoll.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A non-blocking {@code eventfd(2)}: the way another thread wakes an event loop that sleeps in
 * {@link Epoll#await}. {@link #signal} from any thread makes the descriptor readable until the loop
 * {@link #drain}s it; signals in between coalesce into one wake-up.
 */
public final class EventFd implements AutoCloseable {
    // include/uapi/linux/eventfd.h: EFD_NONBLOCK = O_NONBLOCK, EFD_CLOEXEC = O_CLOEXEC.
    private static final int EFD_NONBLOCK = Syscalls.O_NONBLOCK;
    private static final int EFD_CLOEXEC = Syscalls.O_CLOEXEC;

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment one;
    private final MemorySegment sink;
    private volatile boolean closed;

    public EventFd() throws LinuxException {
        fd = Syscalls.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        // eventfd reads and writes an 8-byte counter in host byte order.
        one = arena.allocate(ValueLayout.JAVA_LONG);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        sink = arena.allocate(ValueLayout.JAVA_LONG);
    }

    /** The descriptor, to register with an {@link Epoll}. */
    public int fd() {
        return fd;
    }

    /** Makes the descriptor readable. Callable from any thread; never blocks. */
    public synchronized void signal() throws LinuxException {
        if (closed) {
            return;
        }
        // WOULD_BLOCK only when the counter is near 2^64: a wake-up is pending anyway.
        Syscalls.write(fd, one);
    }

    /** Resets the counter (on the loop thread, after a wake-up). */
    public void drain() throws LinuxException {
        Syscalls.read(fd, sink);
    }

    /** Closes the descriptor. Idempotent. */
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
