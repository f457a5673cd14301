package atoll.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library's system call wrappers, called through the FFM API. Each call captures
 * {@code errno} with {@link Linker.Option#captureCallState} (the JVM itself may change errno
 * between a native call and the next Java statement, so reading it later would be wrong), retries
 * on {@code EINTR}, and turns any other failure into a {@link LinuxException} whose message is
 * {@code strerror}'s text.
 *
 * <p>Non-blocking reads and writes return {@link #WOULD_BLOCK} instead of throwing on
 * {@code EAGAIN}: on an event loop that is the normal outcome, not an error, and costs no
 * exception.
 *
 * <p>Each call's method handle is linked on its first use (a holder class per call): linking a
 * signature costs tens of milliseconds in a fresh JVM, and a program that uses a few calls should
 * not pay for all of them at start-up.
 *
 * <p>Thread-safe; the errno capture area is per thread. Calls allocate nothing on the Java heap
 * except on their error paths.
 */
public final class Syscalls {
    private Syscalls() {}

    /** What {@link #read} and {@link #write} return when a non-blocking descriptor is not ready (EAGAIN). */
    public static final int WOULD_BLOCK = -1;

    // open(2) flags, include/uapi/asm-generic/fcntl.h: the same values on x86_64 and aarch64.
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // socket(2): include/linux/socket.h and include/linux/net.h.
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    public static final int AF_INET6 = 10;
    // setsockopt(2): include/uapi/asm-generic/socket.h.
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUF = 7;
    public static final int SO_REUSEPORT = 15;
    // include/uapi/linux/in.h, in6.h.
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    // int open(const char *path, int flags, ...): variadic mode.
    /** Linked on first use: each distinct signature costs tens of milliseconds at start-up. */
    private static final class Open {
        static final MethodHandle H = downcall("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }
    private static final class Close {
        static final MethodHandle H = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Read {
        static final MethodHandle H = downcall("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }
    private static final class Write {
        static final MethodHandle H = downcall("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }
    // int ioctl(int fd, unsigned long request, ...): variadic argument, here always a pointer.
    private static final class Ioctl {
        static final MethodHandle H = downcall("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    }
    private static final class Socket {
        static final MethodHandle H = downcall("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Bind {
        static final MethodHandle H = downcall("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Getsockname {
        static final MethodHandle H = downcall("getsockname",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }
    private static final class Setsockopt {
        static final MethodHandle H = downcall("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Recvmmsg {
        static final MethodHandle H = downcall("recvmmsg",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class Sendmmsg {
        static final MethodHandle H = downcall("sendmmsg",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }
    // The hot calls of an event loop again, without errno capture: the JDK makes a slice of the
    // capture segment for every call that captures (SharedUtils.checkCaptureSegment), which would
    // be an allocation per call. They are tried first; only a failure (-1) repeats the call with
    // capture to learn errno, which is what a failure costs anyway.
    private static final class RecvmmsgFast {
        static final MethodHandle H = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("recvmmsg"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class SendmmsgFast {
        static final MethodHandle H = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("sendmmsg"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }
    private static final class EpollWaitFast {
        static final MethodHandle H = LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow("epoll_wait"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }
    private static final class Setns {
        static final MethodHandle H = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class EpollCreate1 {
        static final MethodHandle H = downcall("epoll_create1",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class EpollCtl {
        static final MethodHandle H = downcall("epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class EpollWait {
        static final MethodHandle H = downcall("epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }
    private static final class Eventfd {
        static final MethodHandle H = downcall("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    // char *strerror(int): glibc returns a pointer into its static message table for known
    // numbers; called only on error paths.
    private static final class Strerror {
        static final MethodHandle H = LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, options);
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** The C library's text for {@code errno} ({@code strerror(3)}). */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) Strerror.H.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** {@code open(2)}; returns the new descriptor. */
    public static int open(String path, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment capture = CAPTURE.get();
            while (true) {
                int fd = (int) Open.H.invokeExact(capture, cPath, flags, 0);
                if (fd >= 0) {
                    return fd;
                }
                int e = errno(capture);
                if (e != Errno.EINTR) {
                    throw new LinuxException("open", path, e);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("open", t);
        }
    }

    /**
     * {@code close(2)}. Not retried on EINTR: Linux releases the descriptor even then, and a retry
     * could close a descriptor another thread has just been given.
     */
    public static void close(int fd) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) Close.H.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw linkageFailure("close", t);
        }
        if (r != 0) {
            int e = errno(capture);
            if (e != Errno.EINTR) {
                throw new LinuxException("close", "fd " + fd, e);
            }
        }
    }

    /**
     * {@code read(2)} into {@code into} (a native segment).
     *
     * @return bytes read (0 at end of file), or {@link #WOULD_BLOCK} if the descriptor is
     *     non-blocking and has nothing now
     */
    public static long read(int fd, MemorySegment into) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) Read.H.invokeExact(capture, fd, into, into.byteSize());
                if (n >= 0) {
                    return n;
                }
                int e = errno(capture);
                if (e == Errno.EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e != Errno.EINTR) {
                    throw new LinuxException("read", "fd " + fd, e);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("read", t);
        }
    }

    /**
     * {@code write(2)} of the whole of {@code from} (a native segment).
     *
     * @return bytes written, or {@link #WOULD_BLOCK} if the descriptor is non-blocking and cannot
     *     take them now
     */
    public static long write(int fd, MemorySegment from) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) Write.H.invokeExact(capture, fd, from, from.byteSize());
                if (n >= 0) {
                    return n;
                }
                int e = errno(capture);
                if (e == Errno.EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e != Errno.EINTR) {
                    throw new LinuxException("write", "fd " + fd, e);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("write", t);
        }
    }

    /**
     * {@code ioctl(2)} with a pointer argument.
     *
     * @param what the request's name, for the error message ({@code TUNSETIFF})
     * @return the call's non-negative result
     */
    public static int ioctl(int fd, long request, MemorySegment argument, String what) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                int r = (int) Ioctl.H.invokeExact(capture, fd, request, argument);
                if (r >= 0) {
                    return r;
                }
                int e = errno(capture);
                if (e != Errno.EINTR) {
                    throw new LinuxException("ioctl " + what, "fd " + fd, e);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("ioctl", t);
        }
    }

    /** {@code socket(2)}; returns the new descriptor. */
    public static int socket(int domain, int type, int protocol) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int fd;
        try {
            fd = (int) Socket.H.invokeExact(capture, domain, type, protocol);
        } catch (Throwable t) {
            throw linkageFailure("socket", t);
        }
        if (fd < 0) {
            throw new LinuxException("socket", "", errno(capture));
        }
        return fd;
    }

    /** {@code bind(2)} to a socket address of {@code length} bytes (see {@link SocketAddresses}). */
    public static void bind(int fd, MemorySegment address, int length) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) Bind.H.invokeExact(capture, fd, address, length);
        } catch (Throwable t) {
            throw linkageFailure("bind", t);
        }
        if (r != 0) {
            throw new LinuxException("bind", SocketAddresses.format(address), errno(capture));
        }
    }

    /**
     * {@code getsockname(2)} into {@code address} (at least {@link SocketAddresses#SIZE} bytes);
     * returns the address's length.
     */
    public static int getsockname(int fd, MemorySegment address) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) address.byteSize());
            int r = (int) Getsockname.H.invokeExact(capture, fd, address, len);
            if (r != 0) {
                throw new LinuxException("getsockname", "fd " + fd, errno(capture));
            }
            return len.get(JAVA_INT, 0);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("getsockname", t);
        }
    }

    /** {@code setsockopt(2)} with an int value. */
    public static void setsockopt(int fd, int level, int option, int value) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            int r = (int) Setsockopt.H.invokeExact(capture, fd, level, option, v, 4);
            if (r != 0) {
                throw new LinuxException("setsockopt", "level " + level + " option " + option, errno(capture));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("setsockopt", t);
        }
    }

    /**
     * {@code recvmmsg(2)}, non-blocking, into the first {@code count} messages of {@code batch}.
     *
     * @return messages received, or {@link #WOULD_BLOCK} when none is waiting
     */
    public static int recvmmsg(int fd, MessageBatch batch, int count) throws LinuxException {
        batch.prepareReceive(count);
        try {
            int fast = (int) RecvmmsgFast.H.invokeExact(fd, batch.headers(), count, 0, MemorySegment.NULL);
            if (fast >= 0) {
                return fast;
            }
        } catch (Throwable t) {
            throw linkageFailure("recvmmsg", t);
        }
        // Failed: again with errno captured (a datagram that arrived meanwhile is simply taken).
        batch.prepareReceive(count);
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                int n = (int) Recvmmsg.H.invokeExact(capture, fd, batch.headers(), count, 0, MemorySegment.NULL);
                if (n >= 0) {
                    return n;
                }
                int e = errno(capture);
                if (e == Errno.EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e != Errno.EINTR) {
                    throw new LinuxException("recvmmsg", "fd " + fd, e);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("recvmmsg", t);
        }
    }

    /**
     * {@code sendmmsg(2)} of the first {@code count} messages of {@code batch}, each to its
     * destination.
     *
     * @return messages sent (the first ones), or {@link #WOULD_BLOCK} when the socket cannot take any now
     */
    public static int sendmmsg(int fd, MessageBatch batch, int count) throws LinuxException {
        return sendmmsg(fd, batch, 0, count);
    }

    /**
     * {@code sendmmsg(2)} of messages {@code first} to {@code first + count - 1} of {@code batch}
     * (what is left of a batch after a partial send).
     *
     * @return messages sent (the first ones), or {@link #WOULD_BLOCK} when the socket cannot take
     *     any now; a failure of message {@code first} itself is a {@link LinuxException}
     */
    public static int sendmmsg(int fd, MessageBatch batch, int first, int count) throws LinuxException {
        if (first < 0 || count < 0 || first + count > batch.capacity()) {
            throw new IllegalArgumentException("messages " + first + "+" + count + " not in capacity " + batch.capacity());
        }
        MemorySegment headers = batch.headers(first);
        try {
            int fast = (int) SendmmsgFast.H.invokeExact(fd, headers, count, 0);
            if (fast >= 0) {
                return fast;
            }
        } catch (Throwable t) {
            throw linkageFailure("sendmmsg", t);
        }
        // Failed: again with errno captured, to tell a full send buffer from an error.
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                int n = (int) Sendmmsg.H.invokeExact(capture, fd, headers, count, 0);
                if (n >= 0) {
                    return n;
                }
                int e = errno(capture);
                if (e == Errno.EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e != Errno.EINTR) {
                    throw new LinuxException("sendmmsg", "fd " + fd, e);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure("sendmmsg", t);
        }
    }

    /** {@code setns(2)}'s namespace type for a network namespace (include/uapi/linux/sched.h). */
    public static final int CLONE_NEWNET = 0x40000000;

    /**
     * {@code setns(2)}: moves the calling thread (only it) into the namespace {@code fd} refers
     * to. Descriptors the thread opens afterwards (sockets, TAP devices) belong to that namespace
     * and keep it wherever they are used from.
     */
    public static void setns(int fd, int nstype) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) Setns.H.invokeExact(capture, fd, nstype);
        } catch (Throwable t) {
            throw linkageFailure("setns", t);
        }
        if (r != 0) {
            throw new LinuxException("setns", "fd " + fd, errno(capture));
        }
    }

    /**
     * Moves the calling platform thread into the network namespace {@code name} that
     * {@code ip netns add} made ({@code /run/netns/NAME}). Needs CAP_SYS_ADMIN. Never call it on
     * a virtual thread: its carrier would change namespace under other virtual threads.
     */
    public static void enterNetworkNamespace(String name) throws LinuxException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a virtual thread cannot enter a network namespace");
        }
        int fd = open("/run/netns/" + name, O_CLOEXEC); // O_RDONLY is 0
        try {
            setns(fd, CLONE_NEWNET);
        } finally {
            close(fd);
        }
    }

    /** {@code epoll_create1(2)}; returns the new epoll descriptor. */
    public static int epollCreate1(int flags) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int fd;
        try {
            fd = (int) EpollCreate1.H.invokeExact(capture, flags);
        } catch (Throwable t) {
            throw linkageFailure("epoll_create1", t);
        }
        if (fd < 0) {
            throw new LinuxException("epoll_create1", "", errno(capture));
        }
        return fd;
    }

    /** {@code epoll_ctl(2)}; {@code event} is a {@code struct epoll_event} (see {@link Epoll}). */
    public static void epollCtl(int epfd, int op, int fd, MemorySegment event) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) EpollCtl.H.invokeExact(capture, epfd, op, fd, event);
        } catch (Throwable t) {
            throw linkageFailure("epoll_ctl", t);
        }
        if (r != 0) {
            throw new LinuxException("epoll_ctl", "fd " + fd, errno(capture));
        }
    }

    /**
     * {@code epoll_wait(2)}.
     *
     * @param timeoutMillis -1 waits for ever, 0 returns at once
     * @return the number of ready events, 0 on timeout or when a signal interrupted the wait
     */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis)
            throws LinuxException {
        try {
            int fast = (int) EpollWaitFast.H.invokeExact(epfd, events, maxEvents, timeoutMillis);
            if (fast >= 0) {
                return fast;
            }
        } catch (Throwable t) {
            throw linkageFailure("epoll_wait", t);
        }
        // Failed (a signal, EINTR, or a broken descriptor): look again without waiting, errno captured.
        MemorySegment capture = CAPTURE.get();
        int n;
        try {
            n = (int) EpollWait.H.invokeExact(capture, epfd, events, maxEvents, 0);
        } catch (Throwable t) {
            throw linkageFailure("epoll_wait", t);
        }
        if (n >= 0) {
            return n;
        }
        int e = errno(capture);
        if (e == Errno.EINTR) {
            return 0; // the caller's loop recomputes its timeout and waits again
        }
        throw new LinuxException("epoll_wait", "fd " + epfd, e);
    }

    /** {@code eventfd(2)}; returns the new descriptor. */
    public static int eventfd(int initialValue, int flags) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        int fd;
        try {
            fd = (int) Eventfd.H.invokeExact(capture, initialValue, flags);
        } catch (Throwable t) {
            throw linkageFailure("eventfd", t);
        }
        if (fd < 0) {
            throw new LinuxException("eventfd", "", errno(capture));
        }
        return fd;
    }

    private static IllegalStateException linkageFailure(String call, Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call " + call + " failed: " + t, t);
    }
}
