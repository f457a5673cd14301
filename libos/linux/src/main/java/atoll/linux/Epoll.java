package atoll.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An epoll instance ({@code epoll(7)}) with its own array of ready events.
 *
 * <pre>
 * struct epoll_event {          include/uapi/linux/eventpoll.h
 *     __poll_t events;          u32
 *     __u64    data;            packed on x86_64 (EPOLL_PACKED): 12 bytes, data at 4;
 * };                            naturally aligned elsewhere (aarch64): 16 bytes, data at 8
 * </pre>
 *
 * Owned by one thread (the event loop): {@link #await} and the accessors share one array.
 */
public final class Epoll implements AutoCloseable {
    // Event bits, include/uapi/linux/eventpoll.h.
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;

    // epoll_ctl operations, same header.
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = Syscalls.O_CLOEXEC;

    private static final boolean PACKED = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    /** sizeof(struct epoll_event) on this architecture. */
    static final int EVENT_SIZE = PACKED ? 12 : 16;
    private static final int DATA_OFFSET = PACKED ? 4 : 8;

    private final int fd;
    private final int maxEvents;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ready;
    private final MemorySegment ctlEvent;
    private boolean closed;

    /** @param maxEvents most events one {@link #await} reports */
    public Epoll(int maxEvents) throws LinuxException {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("maxEvents " + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.fd = Syscalls.epollCreate1(EPOLL_CLOEXEC);
        this.ready = arena.allocate((long) EVENT_SIZE * maxEvents, 8);
        this.ctlEvent = arena.allocate(16, 8);
    }

    /** Watches {@code target} for {@code events}; {@code data} comes back with each of its readiness reports. */
    public void add(int target, int events, long data) throws LinuxException {
        control(EPOLL_CTL_ADD, target, events, data);
    }

    /** Changes what {@code target} is watched for. */
    public void modify(int target, int events, long data) throws LinuxException {
        control(EPOLL_CTL_MOD, target, events, data);
    }

    /** Stops watching {@code target}. */
    public void remove(int target) throws LinuxException {
        Syscalls.epollCtl(fd, EPOLL_CTL_DEL, target, ctlEvent);
    }

    private synchronized void control(int op, int target, int events, long data) throws LinuxException {
        ctlEvent.set(ValueLayout.JAVA_INT_UNALIGNED, 0, events);
        ctlEvent.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, data);
        Syscalls.epollCtl(fd, op, target, ctlEvent);
    }

    /**
     * Waits for readiness.
     *
     * @param timeoutMillis -1 for ever, 0 not at all
     * @return how many events are ready (read them with {@link #events} and {@link #data}); 0 on
     *     timeout or a signal
     */
    public int await(int timeoutMillis) throws LinuxException {
        return Syscalls.epollWait(fd, ready, maxEvents, timeoutMillis);
    }

    /** The event bits of ready event {@code i}. */
    public int events(int i) {
        return ready.get(ValueLayout.JAVA_INT_UNALIGNED, (long) i * EVENT_SIZE);
    }

    /** The data registered with the descriptor of ready event {@code i}. */
    public long data(int i) {
        return ready.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * EVENT_SIZE + DATA_OFFSET);
    }

    /** Closes the epoll descriptor. Idempotent. */
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
