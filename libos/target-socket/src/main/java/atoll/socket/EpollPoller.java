package atoll.socket;

import atoll.linux.Epoll;
import atoll.linux.EventFd;
import atoll.linux.LinuxException;
import java.io.IOException;
import java.util.Arrays;

/**
 * An epoll instance over raw socket descriptors (the batched UDP path, see
 * {@link BatchUdpEndpoint}), with an eventfd that other threads signal to wake the loop.
 *
 * <p>Each registered descriptor gets a slot; the slot number is the epoll event's data, and the
 * slot's {@link FdHandler} runs on the loop when the descriptor is ready. Slots change under this
 * object's lock from any thread and are published as a new array (registration is rare), so the
 * loop reads them without a lock.
 */
final class EpollPoller implements Poller {
    /** Ready events taken per epoll_wait. */
    private static final int MAX_EVENTS = 64;
    /** The slot of the wake-up eventfd. */
    private static final int WAKE_SLOT = 0;

    /** Called on the loop thread when a registered descriptor is ready. */
    interface FdHandler {
        /** @param events the epoll event bits ({@link Epoll#EPOLLIN}, ...) */
        void onReady(int events);
    }

    private final EventLoop loop;
    private final Epoll epoll;
    private final EventFd wake;
    private volatile FdHandler[] handlers = new FdHandler[8];

    EpollPoller(EventLoop loop) throws IOException {
        this.loop = loop;
        try {
            epoll = new Epoll(MAX_EVENTS);
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            wake = new EventFd();
            epoll.add(wake.fd(), Epoll.EPOLLIN, WAKE_SLOT);
        } catch (LinuxException e) {
            closeQuietly();
            throw new IOException(e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            epoll.close();
        } catch (LinuxException ignored) {
            // already failing
        }
    }

    /** Watches {@code fd} for {@code events}; returns its slot, for {@link #modify} and {@link #remove}. */
    synchronized int add(int fd, int events, FdHandler handler) throws IOException {
        FdHandler[] h = handlers;
        int slot = 1;
        while (slot < h.length && h[slot] != null) {
            slot++;
        }
        h = slot < h.length ? h.clone() : Arrays.copyOf(h, h.length * 2);
        h[slot] = handler;
        handlers = h;
        try {
            epoll.add(fd, events, slot);
        } catch (LinuxException e) {
            h = handlers.clone();
            h[slot] = null;
            handlers = h;
            throw new IOException(e.getMessage(), e);
        }
        return slot;
    }

    /** Changes what {@code fd} (in {@code slot}) is watched for; takes effect in a wait under way. */
    void modify(int fd, int slot, int events) throws LinuxException {
        epoll.modify(fd, events, slot);
    }

    /** Stops watching {@code fd} and frees its slot. */
    synchronized void remove(int fd, int slot) {
        try {
            epoll.remove(fd);
        } catch (LinuxException e) {
            // Not registered any more (closed elsewhere): nothing to undo.
        }
        FdHandler[] h = handlers.clone();
        h[slot] = null;
        handlers = h;
    }

    @Override
    public void poll(long timeoutMillis) throws IOException {
        int n;
        try {
            n = epoll.await((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
        FdHandler[] h = handlers;
        for (int i = 0; i < n; i++) {
            int slot = (int) epoll.data(i);
            if (slot == WAKE_SLOT) {
                try {
                    wake.drain();
                } catch (LinuxException e) {
                    throw new IOException(e.getMessage(), e);
                }
                continue;
            }
            FdHandler handler = slot < h.length ? h[slot] : null;
            if (handler != null) { // null: removed after the kernel reported it
                loop.dispatch(handler, epoll.events(i));
            }
        }
    }

    @Override
    public void wakeup() {
        try {
            wake.signal();
        } catch (LinuxException e) {
            // Only when the descriptor is gone, which happens after the loop has stopped.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            wake.close();
            epoll.close();
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
