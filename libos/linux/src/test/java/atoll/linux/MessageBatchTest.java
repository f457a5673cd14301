package atoll.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** sendmmsg/recvmmsg between two native UDP sockets on loopback (the kernel as the peer). */
class MessageBatchTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static int udpSocket(Arena arena) throws LinuxException {
        int fd = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_NONBLOCK | Syscalls.SOCK_CLOEXEC, 0);
        MemorySegment any = arena.allocate(SocketAddresses.SIZE);
        int len = SocketAddresses.write(any, new InetSocketAddress(LOOPBACK, 0));
        Syscalls.bind(fd, any, len);
        return fd;
    }

    private static InetSocketAddress local(int fd, Arena arena) throws LinuxException {
        MemorySegment a = arena.allocate(SocketAddresses.SIZE);
        Syscalls.getsockname(fd, a);
        return SocketAddresses.read(a);
    }

    @Test
    void aBatchSentInOneCallArrivesAsSeparateDatagramsWithTheirSource() throws Exception {
        try (Arena arena = Arena.ofConfined(); MessageBatch out = new MessageBatch(3); MessageBatch in = new MessageBatch(8);
                Epoll epoll = new Epoll(2)) {
            int a = udpSocket(arena);
            int b = udpSocket(arena);
            try {
                InetSocketAddress aAddr = local(a, arena);
                InetSocketAddress bAddr = local(b, arena);
                String[] texts = {"one", "two!", "three"};
                for (int i = 0; i < 3; i++) {
                    out.data(i, arena.allocateFrom(texts[i]).asSlice(0, texts[i].length()));
                    out.destination(i, bAddr);
                }
                assertEquals(3, Syscalls.sendmmsg(a, out, 3));
                MemorySegment space = arena.allocate(8 * 64L);
                for (int i = 0; i < 8; i++) {
                    in.data(i, space.asSlice(i * 64L, 64));
                }
                epoll.add(b, Epoll.EPOLLIN, 0);
                int got = 0;
                for (int waits = 0; waits < 20 && got < 3; waits++) {
                    epoll.await(500);
                    int n = Syscalls.recvmmsg(b, in, 8 - got);
                    if (n == Syscalls.WOULD_BLOCK) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        byte[] bytes = space.asSlice(i * 64L, in.length(i)).toArray(ValueLayout.JAVA_BYTE);
                        assertEquals(texts[got + i], new String(bytes, StandardCharsets.US_ASCII));
                        assertEquals(aAddr, SocketAddresses.read(in.source(i)));
                    }
                    got += n;
                }
                assertEquals(3, got);
                assertEquals(Syscalls.WOULD_BLOCK, Syscalls.recvmmsg(b, in, 8));
            } finally {
                Syscalls.close(a);
                Syscalls.close(b);
            }
        }
    }

    @Test
    void bindingAnAddressInUseSaysSo() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            int a = udpSocket(arena);
            int b = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC, 0);
            try {
                MemorySegment addr = arena.allocate(SocketAddresses.SIZE);
                int len = SocketAddresses.write(addr, local(a, arena));
                LinuxException e = assertThrows(LinuxException.class, () -> Syscalls.bind(b, addr, len));
                assertEquals(Errno.EADDRINUSE, e.errno());
                assertEquals("bind " + atoll.libos.net.Addresses.format(local(a, arena)) + ": Address already in use (EADDRINUSE)",
                        e.getMessage());
            } finally {
                Syscalls.close(a);
                Syscalls.close(b);
            }
        }
    }

    private static int udpSocket6(Arena arena) throws Exception {
        int fd = Syscalls.socket(Syscalls.AF_INET6, Syscalls.SOCK_DGRAM | Syscalls.SOCK_NONBLOCK | Syscalls.SOCK_CLOEXEC, 0);
        MemorySegment any = arena.allocate(SocketAddresses.SIZE);
        int len = SocketAddresses.write(any, new InetSocketAddress(InetAddress.getByName("::1"), 0));
        Syscalls.bind(fd, any, len);
        return fd;
    }

    /**
     * The allocation-free forms the socket target uses: destinations written from reused
     * transport addresses, payloads pointed at by address, the tail of a batch sent from an
     * offset, a queue's tail moved forward with its destination, and sources read back into a
     * transport address; IPv4 and IPv6 against the kernel.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void transportAddressFormsRoundTripThroughTheKernel(boolean v6) throws Exception {
        try (Arena arena = Arena.ofConfined(); MessageBatch out = new MessageBatch(4); MessageBatch in = new MessageBatch(4);
                Epoll epoll = new Epoll(2)) {
            int a = v6 ? udpSocket6(arena) : udpSocket(arena);
            int b = v6 ? udpSocket6(arena) : udpSocket(arena);
            try {
                InetSocketAddress aAddr = local(a, arena);
                atoll.libos.net.TransportAddress to = new atoll.libos.net.TransportAddress();
                byte[] scratch = new byte[16];
                InetSocketAddress bAddr = local(b, arena);
                // b's address as octets, as the batched receive path holds a source
                MemorySegment bName = arena.allocate(SocketAddresses.SIZE);
                SocketAddresses.write(bName, bAddr);
                assertEquals(true, SocketAddresses.read(bName, 0, to, scratch));
                assertEquals(bAddr, to.toInetSocketAddress());
                MemorySegment space = arena.allocate(4 * 16L);
                String[] texts = {"zero", "one", "two", "three"};
                for (int i = 0; i < 4; i++) {
                    space.asSlice(i * 16L, texts[i].length()).copyFrom(MemorySegment.ofArray(
                            texts[i].getBytes(StandardCharsets.US_ASCII)));
                    out.data(i, space, i * 16L, texts[i].length());
                    out.destination(i, to);
                }
                // Message 3 moved to slot 0 (a compacted queue), then the tail from slot 1: "three" is
                // never sent from slot 3, "one" and "two" go from 1 and 2.
                out.data(0, space, 3 * 16L, texts[3].length());
                out.copyDestination(3, 0);
                assertEquals(1, Syscalls.sendmmsg(a, out, 0, 1));
                assertEquals(2, Syscalls.sendmmsg(a, out, 1, 2));
                MemorySegment into = arena.allocate(4 * 64L);
                for (int i = 0; i < 4; i++) {
                    in.data(i, into, i * 64L, 64);
                }
                epoll.add(b, Epoll.EPOLLIN, 0);
                String[] expected = {"three", "one", "two"};
                int got = 0;
                atoll.libos.net.TransportAddress source = new atoll.libos.net.TransportAddress();
                for (int waits = 0; waits < 20 && got < 3; waits++) {
                    epoll.await(500);
                    int n = Syscalls.recvmmsg(b, in, 4);
                    if (n == Syscalls.WOULD_BLOCK) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        byte[] bytes = into.asSlice(i * 64L, in.length(i)).toArray(ValueLayout.JAVA_BYTE);
                        assertEquals(expected[got + i], new String(bytes, StandardCharsets.US_ASCII));
                        assertEquals(true, in.source(i, source, scratch));
                        assertEquals(aAddr, source.toInetSocketAddress());
                        assertEquals(v6, source.isIpv6());
                    }
                    got += n;
                }
                assertEquals(3, got);
            } finally {
                Syscalls.close(a);
                Syscalls.close(b);
            }
        }
    }

    @Test
    void nativeAccessIsAvailableToTheseTests() {
        // Linux, and the class path has native access (the root pom's argLine): the socket target's
        // batched path depends on this answer.
        assertEquals(null, NativeAccess.unavailableReason());
    }
}
