package atoll.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.linux.tap.TapDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class SyscallsTest {

    @Test
    void failedOpenNamesThePathAndTheErrorText() {
        LinuxException e = assertThrows(LinuxException.class,
                () -> Syscalls.open("/nonexistent/atoll", Syscalls.O_RDWR));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open /nonexistent/atoll: No such file or directory (ENOENT)", e.getMessage());
    }

    @Test
    void strerrorIsTheCLibrarysText() {
        assertEquals("Operation not permitted", Syscalls.strerror(Errno.EPERM));
        assertEquals("Resource temporarily unavailable", Syscalls.strerror(Errno.EAGAIN));
    }

    @Test
    void eventFdWakesEpollAndDrainQuietsIt() throws Exception {
        try (Epoll epoll = new Epoll(8); EventFd wake = new EventFd()) {
            epoll.add(wake.fd(), Epoll.EPOLLIN, 0x1234_5678_9abcL);
            assertEquals(0, epoll.await(0), "nothing signalled yet");
            wake.signal();
            wake.signal(); // coalesces
            assertEquals(1, epoll.await(-1));
            assertEquals(Epoll.EPOLLIN, epoll.events(0) & Epoll.EPOLLIN);
            assertEquals(0x1234_5678_9abcL, epoll.data(0));
            wake.drain();
            assertEquals(0, epoll.await(0), "drained");
            epoll.remove(wake.fd());
            wake.signal();
            assertEquals(0, epoll.await(0), "removed");
        }
    }

    @Test
    void readOfAnEmptyNonBlockingDescriptorWouldBlock() throws Exception {
        try (EventFd e = new EventFd(); Arena arena = Arena.ofConfined()) {
            MemorySegment eight = arena.allocate(8);
            assertEquals(Syscalls.WOULD_BLOCK, Syscalls.read(e.fd(), eight));
            e.signal();
            assertEquals(8, Syscalls.read(e.fd(), eight));
        }
    }

    @Test
    void closingABadDescriptorFailsWithEbadf() {
        LinuxException e = assertThrows(LinuxException.class, () -> Syscalls.close(-1));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("Bad file descriptor"), e.getMessage());
    }

    @Test
    void tapNamesAreCheckedBeforeAnySystemCall() {
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("a/b"));
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("sixteen-chars-xx"));
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open(""));
    }
}
