package atoll.socket;

import atoll.linux.Epoll;
import atoll.linux.EventFd;
import atoll.linux.LinuxException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An epoll instance over raw socket descriptors (the batched UDP path, see
 * {@link BatchUdpEndpoint}), with an eventfd that other threads signal to wake the loop.
 *
 * <p>Both are made when the first descriptor registers: until then the loop has only timers and
 * wake-ups to wait for, and parks its thread ({@link LockSupport}) instead. A target that never
 * binds UDP (an appliance that serves TCP only) so never makes a system call through the FFM API,
 * whose first use costs hundreds of milliseconds of start-up.
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
    /** Made with {@link #wake} at the first {@link #add}; null until then. */
    private volatile Epoll epoll;
    private volatile EventFd wake;
    private volatile FdHandler[] handlers = new FdHandler[8];
    private boolean closed;

    EpollPoller(EventLoop loop) {
        this.loop = loop;
    }

    /** Makes the epoll instance and its eventfd (under this object's lock), once. */
    private Epoll epoll() throws IOException {
        Epoll e = epoll;
        if (e != null) {
            return e;
        }
        if (closed) {
            throw new IOException("event loop stopped");
        }
        try {
            e = new Epoll(MAX_EVENTS);
        } catch (LinuxException x) {
            throw new IOException(x.getMessage(), x);
        }
        try {
            EventFd w = new EventFd();
            e.add(w.fd(), Epoll.EPOLLIN, WAKE_SLOT);
            wake = w;
        } catch (LinuxException x) {
            try {
                e.close();
            } catch (LinuxException ignored) {
                // already failing
            }
            throw new IOException(x.getMessage(), x);
        }
        epoll = e;
        LockSupport.unpark(loop.thread()); // from parking to waiting in epoll
        return e;
    }

    /** Watches {@code fd} for {@code events}; returns its slot, for {@link #modify} and {@link #remove}. */
    synchronized int add(int fd, int events, FdHandler handler) throws IOException {
        Epoll epoll = epoll();
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
        epoll.modify(fd, events, slot); // registered, so made
    }

    /** Stops watching {@code fd} and frees its slot. */
    synchronized void remove(int fd, int slot) {
        try {
            epoll.remove(fd); // registered, so made
        } catch (LinuxException e) {
            // Not registered any more (closed elsewhere): nothing to undo.
        }
        FdHandler[] h = handlers.clone();
        h[slot] = null;
        handlers = h;
    }

    @Override
    public void poll(long timeoutMillis) throws IOException {
        Epoll epoll = this.epoll;
        if (epoll == null) {
            // Nothing registered yet: wait for a timer or a wake-up (unpark), or for add().
            if (timeoutMillis < 0) {
                LockSupport.park(this);
            } else if (timeoutMillis > 0) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            }
            return;
        }
        EventFd wake = this.wake;
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
        EventFd w = wake;
        if (w == null) {
            LockSupport.unpark(loop.thread());
            return;
        }
        try {
            w.signal();
        } catch (LinuxException e) {
            // Only when the descriptor is gone, which happens after the loop has stopped.
        }
        // The loop may have looked before epoll was made and be parking still.
        LockSupport.unpark(loop.thread());
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (epoll == null) {
            return;
        }
        try {
            wake.close();
            epoll.close();
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
