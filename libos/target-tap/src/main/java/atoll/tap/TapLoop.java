package atoll.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.linux.Epoll;
import atoll.linux.EventFd;
import atoll.linux.LinuxException;
import atoll.linux.Syscalls;
import atoll.linux.tap.TapDevice;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tap target's one event loop thread ({@value #THREAD_NAME}): it waits in {@code epoll_wait}
 * on the TAP device and an eventfd, reads frames straight into pooled buffers and hands them to the
 * {@link LinkDriver}, fires the driver's deadline and the {@link atoll.libos.time.Clock}'s timers,
 * and writes the frames the driver transmits. Work from other threads (a UDP send, a timer
 * scheduled off the loop) arrives through a lock-free queue and an eventfd wake-up, which is
 * signalled only when the loop sleeps past the new work's deadline.
 *
 * <p>Failure is visible, never silent: a driver or timer that throws an exception has it logged
 * and counted and the loop goes on; an {@link Error} stops the loop, logged, and
 * {@link #failure()} reports it.
 */
final class TapLoop {
    static final String THREAD_NAME = "atoll-tap-loop";
    private static final System.Logger LOG = System.getLogger("atoll.tap");
    /** Frames read per readiness report before timers get a turn (epoll is level-triggered). */
    private static final int READ_BATCH = 64;
    private static final long TAP = 1;
    private static final long WAKE = 2;
    private static final long AWAKE = Long.MIN_VALUE;

    private final TapDevice device;
    private final BufferPool pool;
    private final Epoll epoll;
    private final EventFd wake;
    private final Thread thread;
    private final PriorityQueue<LoopTimer> timers = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<LoopTimer> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Metrics.Counter rxFrames;
    private final Metrics.Counter rxNoBuffer;
    private final Metrics.Counter txFrames;
    private final Metrics.Counter txDropped;
    private final Metrics.Counter handlerFailures;
    private LinkDriver driver;
    /** The driver's next deadline, as its last {@link LinkDriver#poll} said (loop thread only). */
    private long driverDeadline = LinkDriver.NO_DEADLINE;
    private volatile long sleepingUntil = AWAKE;
    private volatile boolean running = true;
    private volatile Throwable failure;

    TapLoop(TapDevice device, BufferPool pool, Metrics metrics) throws LinuxException {
        this.device = device;
        this.pool = pool;
        this.epoll = new Epoll(16);
        try {
            this.wake = new EventFd();
            epoll.add(device.fd(), Epoll.EPOLLIN, TAP);
            epoll.add(wake.fd(), Epoll.EPOLLIN, WAKE);
        } catch (LinuxException | RuntimeException e) {
            epoll.close();
            throw e;
        }
        this.rxFrames = metrics.counter("tap.rx.frames");
        this.rxNoBuffer = metrics.counter("tap.rx.dropped.no-buffer");
        this.txFrames = metrics.counter("tap.tx.frames");
        this.txDropped = metrics.counter("tap.tx.dropped");
        this.handlerFailures = metrics.counter("tap.loop.handler-failures");
        this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
    }

    /** Starts the loop thread, driving {@code driver}. */
    void start(LinkDriver driver) {
        this.driver = driver;
        thread.start();
    }

    /**
     * Runs {@code task} on the loop and waits for it (at most {@code limit}); from the loop thread
     * it runs at once. For the rare calls that must see the engines' answer (a bind).
     *
     * @throws java.io.IOException if the loop has stopped, or the task did not run in time
     */
    <T> T call(java.util.concurrent.Callable<T> task, Duration limit) throws java.io.IOException {
        if (inLoop()) {
            try {
                return task.call();
            } catch (java.io.IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        }
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the event loop");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new java.io.IOException(running ? "the event loop did not answer within " + limit
                    : "the tap target's event loop has stopped");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof java.io.IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new java.io.IOException(c);
        }
    }

    Thread thread() {
        return thread;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The error that stopped the loop, or null while it runs (or after an orderly stop). */
    Throwable failure() {
        return failure;
    }

    boolean isRunning() {
        return running;
    }

    /** Runs {@code task} on the loop after {@code delay}; callable from any thread. */
    LoopTimer schedule(Duration delay, Runnable task) {
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        LoopTimer t = new LoopTimer(System.nanoTime() + nanos, sequence.getAndIncrement(), task);
        if (!running) {
            t.cancel();
            return t;
        }
        if (inLoop()) {
            timers.add(t);
            return t;
        }
        incoming.add(t);
        // The loop publishes its deadline before its last look at the queue, and this reads it
        // after the add: either the loop sees the timer or this sees the deadline.
        long until = sleepingUntil;
        if (until == LinkDriver.NO_DEADLINE || (until != AWAKE && t.deadline - until < 0)) {
            signal();
        }
        return t;
    }

    /** Runs {@code task} on the loop as soon as possible; callable from any thread. */
    void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /**
     * Writes one frame (the buffer's window) to the device and releases the buffer. Loop thread
     * only. A frame the device refuses is dropped and counted: the layers above retransmit.
     */
    void transmit(PooledBuffer frame) {
        try {
            int n = device.write(frame);
            if (n == Syscalls.WOULD_BLOCK) {
                txDropped.increment();
            } else {
                txFrames.increment();
            }
        } catch (LinuxException e) {
            txDropped.increment();
            LOG.log(Level.DEBUG, "frame dropped: {0}", e.getMessage());
        } finally {
            frame.release();
        }
    }

    /** Stops the loop and waits for its thread to end; then closes epoll and the eventfd. */
    void stop() {
        running = false;
        signal();
        if (Thread.currentThread() != thread && thread.isAlive()) {
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

    private void signal() {
        try {
            wake.signal();
        } catch (LinuxException e) {
            LOG.log(Level.ERROR, "cannot wake the event loop", e);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // centuries: never, without overflowing deadline arithmetic
        }
    }

    private void run() {
        try {
            while (running) {
                drainIncoming();
                long now = System.nanoTime();
                long deadline = nextDeadline();
                sleepingUntil = deadline;
                int timeout;
                if (!incoming.isEmpty() || !running) {
                    timeout = 0;
                } else if (deadline == LinkDriver.NO_DEADLINE) {
                    timeout = -1;
                } else {
                    long wait = deadline - now;
                    // epoll_wait counts milliseconds: round up so nothing fires early.
                    timeout = wait <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE,
                            TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
                }
                int n = epoll.await(timeout);
                sleepingUntil = AWAKE;
                for (int i = 0; i < n; i++) {
                    long which = epoll.data(i);
                    if (which == TAP) {
                        readFrames();
                    } else if (which == WAKE) {
                        wake.drain();
                    }
                }
                runDue();
            }
        } catch (LinuxException | RuntimeException | Error e) {
            failure = e;
            running = false;
            LOG.log(Level.ERROR, "event loop failed and stopped; the tap target no longer sends or receives", e);
        } finally {
            int dropped = timers.size() + incoming.size();
            timers.clear();
            incoming.clear();
            try {
                epoll.close();
            } catch (LinuxException e) {
                LOG.log(Level.WARNING, "closing epoll failed", e);
            }
            try {
                wake.close();
            } catch (LinuxException e) {
                LOG.log(Level.WARNING, "closing the eventfd failed", e);
            }
            LOG.log(Level.DEBUG, "event loop stopped; {0} timer(s) dropped", dropped);
        }
    }

    private long nextDeadline() {
        LoopTimer t;
        while ((t = timers.peek()) != null && t.isCancelled()) {
            timers.poll();
        }
        long d = driverDeadline;
        if (t != null && (d == LinkDriver.NO_DEADLINE || t.deadline - d < 0)) {
            d = t.deadline;
        }
        return d;
    }

    private void drainIncoming() {
        LoopTimer t;
        while ((t = incoming.poll()) != null) {
            timers.add(t);
        }
    }

    private void readFrames() throws LinuxException {
        for (int i = 0; i < READ_BATCH && running; i++) {
            PooledBuffer frame = pool.tryAcquire();
            if (frame == null) {
                // No buffer: the frame is read and dropped all the same, so that a level-triggered
                // device never spins the loop.
                if (device.discard() == Syscalls.WOULD_BLOCK) {
                    return;
                }
                rxNoBuffer.increment();
                continue;
            }
            int n;
            try {
                n = device.read(frame);
            } catch (LinuxException | RuntimeException e) {
                frame.release();
                throw e;
            }
            if (n == Syscalls.WOULD_BLOCK || n == 0) {
                frame.release();
                return;
            }
            rxFrames.increment();
            try {
                driver.onFrame(frame, System.nanoTime());
            } catch (RuntimeException e) {
                // The driver owned the frame; whether it released it is unknown, and a double
                // release would throw: count the failure and go on.
                handlerFailures.increment();
                LOG.log(Level.ERROR, "frame handler failed", e);
            }
        }
    }

    private void runDue() {
        drainIncoming();
        long now = System.nanoTime();
        LoopTimer t;
        while (running && (t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            if (!t.fire()) {
                continue;
            }
            try {
                t.task.run();
            } catch (RuntimeException e) {
                handlerFailures.increment();
                LOG.log(Level.ERROR, "timer task failed", e);
            }
        }
        // Last, so that what frames and tasks just queued (an ARP request, a retransmission)
        // gets its deadline counted before the loop sleeps.
        try {
            driverDeadline = driver.poll(System.nanoTime());
        } catch (RuntimeException e) {
            handlerFailures.increment();
            driverDeadline = LinkDriver.NO_DEADLINE;
            LOG.log(Level.ERROR, "stack poll failed", e);
        }
    }
}
