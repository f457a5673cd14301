package atoll.socket;

import atoll.libos.metrics.Metrics;
import atoll.libos.runtime.Health;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One platform thread ({@value #THREAD_NAME}) that waits for readiness and runs, in order,
 * readiness callbacks and due timers (work from other threads arrives as zero-delay timers). It
 * waits in one of two {@link Poller}s: a java.nio {@link Selector} over channels (the java.nio UDP
 * path and every TCP channel), or, for the batched UDP path on Linux, an epoll instance over raw
 * socket descriptors ({@link EpollPoller}). A loop has one or the other: a selector cannot watch
 * a descriptor java.nio did not open, nor epoll a channel's hidden descriptor.
 *
 * <p>Timers live in a deadline heap owned by the loop thread. Timers scheduled from other threads
 * go through a lock-free queue; the loop is woken only when the new deadline is sooner than the
 * one it is sleeping towards. The select timeout is the time to the earliest deadline, so nothing
 * polls.
 *
 * <p>Failures: nothing a callback or timer task throws ends the loop, because the loop is the only
 * thread serving UDP and waking TCP flows. A {@link RuntimeException} is logged and only that task's
 * work is lost. An {@link Error} (out of memory, stack overflow, a broken invariant) is logged at
 * ERROR, counted in {@code socket.loop.errors}, and turns {@link #health()} to
 * {@link Health.Failed} for good: the process should be restarted by its supervisor. The loop then
 * carries on with its next iteration (after a pause of {@value #ERROR_PAUSE_MILLIS} ms if the
 * failure was in the loop's own select, so a persistent failure cannot spin a core), rather than
 * leaving a dead loop behind a process that still says it is ready.
 */
final class EventLoop {
    static final String THREAD_NAME = "atoll-loop";
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    /** Purge the heap once this many cancelled timers sit in it, and they are at least half of it. */
    private static final int PURGE_THRESHOLD = 256;
    /** {@link #sleepingUntil} while the loop is running rather than waiting in select. */
    private static final long AWAKE = Long.MIN_VALUE;
    /** Preallocated: set when even handling a failure failed, when there may be no memory to say more. */
    private static final Health HANDLER_FAILED = new Health.Failed("event loop: handling a failure failed");
    /** Pause after an Error in the loop's own machinery before the next iteration (Netty pauses 1 s). */
    static final long ERROR_PAUSE_MILLIS = 1000;

    /** Called on the loop thread when a registered channel is ready. */
    interface ReadyHandler {
        void onReady(SelectionKey key);
    }

    private final Poller poller;
    private final Thread thread;
    private final PriorityQueue<LoopTimer> timers = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<LoopTimer> incomingTimers = new ConcurrentLinkedQueue<>();
    private final AtomicLong timerSequence = new AtomicLong();
    private final AtomicInteger cancelledTimers = new AtomicInteger();
    private final AtomicReference<Health> health = new AtomicReference<>(Health.SERVING);
    private final Metrics.Counter errors;
    private volatile long sleepingUntil = AWAKE;
    private volatile boolean sleepingForever;
    private volatile boolean running = true;

    /** A loop that waits in a java.nio {@link Selector}. */
    EventLoop(Metrics metrics) throws IOException {
        this(metrics, THREAD_NAME, false);
    }

    /**
     * @param name the thread's name
     * @param epoll wait in epoll over raw descriptors ({@link #epoll()}) instead of a selector
     */
    EventLoop(Metrics metrics, String name, boolean epoll) throws IOException {
        errors = metrics.counter("socket.loop.errors");
        poller = epoll ? new EpollPoller(this) : new SelectorPoller(Selector.open(), this::dispatch);
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    /** The epoll poller of a loop made with {@code epoll}; raw descriptors register there. */
    EpollPoller epoll() {
        if (poller instanceof EpollPoller e) {
            return e;
        }
        throw new IllegalStateException("this event loop waits in a java.nio selector, not in epoll");
    }

    /** True if this loop waits in epoll (batched UDP), false for a java.nio selector. */
    boolean isEpoll() {
        return poller instanceof EpollPoller;
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    boolean isRunning() {
        return running;
    }

    /** {@link Health.Failed} once the loop has caught an Error; it stays failed. */
    Health health() {
        return health.get();
    }

    /** Logs an Error the loop caught and fails its health (the first reason is kept). */
    private void failed(String what, Error e) {
        errors.increment();
        LOG.log(Level.ERROR, what + " failed with " + e + "; the event loop carries on but the target is now"
                + " unhealthy: restart the process", e);
        health.compareAndSet(Health.SERVING, new Health.Failed("event loop: " + what + " failed with " + e));
    }

    /**
     * Registers a channel (already non-blocking) for {@code ops}; callable from any thread. The
     * selector picks up a registration from another thread at its next select, hence the wakeup.
     */
    SelectionKey register(SelectableChannel channel, int ops, ReadyHandler handler) throws IOException {
        if (!(poller instanceof SelectorPoller p)) {
            throw new IllegalStateException("a java.nio channel cannot join an epoll event loop");
        }
        SelectionKey key = channel.register(p.selector(), ops, handler);
        if (!inLoop()) {
            p.wakeup();
        }
        return key;
    }

    /** Makes a changed interest set take effect now even if the loop is waiting. */
    void wakeup() {
        if (!inLoop()) {
            poller.wakeup();
        }
    }

    /** Schedules {@code task} after {@code delay}; callable from any thread. */
    LoopTimer schedule(Duration delay, Runnable task) {
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        LoopTimer t = new LoopTimer(this, System.nanoTime() + nanos, timerSequence.getAndIncrement(), task);
        if (!running) {
            t.cancel();
            LOG.log(Level.DEBUG, "timer scheduled after the event loop stopped; it will not run");
            return t;
        }
        if (inLoop()) {
            timers.add(t);
            return t;
        }
        incomingTimers.add(t);
        // Wake the loop only if it sleeps past this deadline. The loop publishes its deadline
        // before its last look at incomingTimers, and this reads it after the add, so either the
        // loop sees the new timer or this sees the deadline (both fields are volatile).
        if (sleepingForever || (sleepingUntil != AWAKE && t.deadline - sleepingUntil < 0)) {
            poller.wakeup();
        }
        return t;
    }

    void timerCancelled() {
        cancelledTimers.incrementAndGet();
    }

    /** Stops the loop and waits for its thread to end; then closes the selector. */
    void stop() {
        running = false;
        poller.wakeup();
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // centuries: "never", without overflowing deadline arithmetic
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            ((ReadyHandler) key.attachment()).onReady(key);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "channel handler failed", e);
        } catch (Error e) {
            failed("channel handler", e);
        }
    }

    /** Runs a raw descriptor's readiness callback with the same failure handling as a channel's. */
    void dispatch(EpollPoller.FdHandler handler, int events) {
        try {
            handler.onReady(events);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "descriptor handler failed", e);
        } catch (Error e) {
            failed("descriptor handler", e);
        }
    }

    private void run() {
        while (running) {
            try {
                iterations();
            } catch (Throwable t) {
                // Thrown while handling another failure (an OutOfMemoryError while logging, say):
                // nothing allocates here, and the loop goes round again.
                health.compareAndSet(Health.SERVING, HANDLER_FAILED);
            }
        }
        int dropped = timers.size() + incomingTimers.size();
        timers.clear();
        incomingTimers.clear();
        try {
            poller.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the event loop's poller failed", e);
        }
        LOG.log(Level.DEBUG, "event loop stopped; {0} timer(s) dropped", dropped);
    }

    private void iterations() {
        while (running) {
            try {
                iterate();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "event loop iteration failed", e);
            } catch (Error e) {
                failed("event loop iteration", e);
                try {
                    Thread.sleep(ERROR_PAUSE_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void iterate() throws IOException {
        drainIncomingTimers();
        long now = System.nanoTime();
        LoopTimer next = peekLive();
        if (next == null) {
            sleepingForever = true;
        } else {
            sleepingUntil = next.deadline;
        }
        // Last look after publishing the deadline (see schedule).
        if (!incomingTimers.isEmpty() || !running) {
            poller.poll(0);
        } else if (next == null) {
            poller.poll(-1);
        } else {
            long waitNanos = next.deadline - now;
            if (waitNanos <= 0) {
                poller.poll(0);
            } else {
                // Both pollers count in milliseconds: round up so a timer never fires early.
                poller.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
            }
        }
        sleepingForever = false;
        sleepingUntil = AWAKE;
        runDueTimers();
    }

    private void drainIncomingTimers() {
        LoopTimer t;
        while ((t = incomingTimers.poll()) != null) {
            timers.add(t);
        }
        int cancelled = cancelledTimers.get();
        if (cancelled >= PURGE_THRESHOLD && cancelled * 2 >= timers.size()) {
            int before = timers.size();
            timers.removeIf(LoopTimer::isCancelled);
            cancelledTimers.addAndGet(timers.size() - before);
        }
    }

    private LoopTimer peekLive() {
        LoopTimer t;
        while ((t = timers.peek()) != null && t.isCancelled()) {
            timers.poll();
            cancelledTimers.decrementAndGet();
        }
        return t;
    }

    private void runDueTimers() {
        drainIncomingTimers();
        long now = System.nanoTime();
        LoopTimer t;
        while (running && (t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            if (!t.fire()) {
                cancelledTimers.decrementAndGet();
                continue;
            }
            try {
                t.task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "timer task failed", e);
            } catch (Error e) {
                failed("timer task", e);
            }
        }
    }
}
