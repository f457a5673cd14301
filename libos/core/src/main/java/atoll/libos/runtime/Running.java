package atoll.libos.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An appliance started by {@link Launcher#start}: the handle that stops it. {@link Launcher#run}
 * stops it on SIGTERM or SIGINT; tests and embedders call {@link #stop()}.
 *
 * <p>If start-up ended early ({@code --help}, {@code --version}, a configuration error, a failed
 * start), the handle is already exited and {@link #awaitExit()} returns the status at once.
 * Thread-safe.
 */
public final class Running {
    private final Devices devices;
    private final Function<String, Integer> shutdown;
    private final Supplier<ReloadOutcome> reload;
    private final Supplier<String> metricsSummary;
    /** Orders reloads and the stop: neither runs while the other does. */
    private final Object phase = new Object();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    /**
     * A started appliance; {@code shutdown} runs once, given the stop reason, and returns the
     * status; {@code reload} runs the appliance's reload and logs its outcome;
     * {@code metricsSummary} renders the metrics line.
     */
    Running(Devices devices, Function<String, Integer> shutdown, Supplier<ReloadOutcome> reload,
            Supplier<String> metricsSummary) {
        this.devices = devices;
        this.shutdown = shutdown;
        this.reload = reload;
        this.metricsSummary = metricsSummary;
    }

    /** A start-up that already ended with {@code status}. */
    static Running exited(int status) {
        Running r = new Running(null, why -> status, ReloadOutcome.Unsupported::new, () -> "");
        r.reason.set("exited");
        r.stopping.set(true);
        r.stopRequested.countDown();
        r.exit.complete(status);
        return r;
    }

    /** The devices given to the appliance, or null if it never started. */
    public Devices devices() {
        return devices;
    }

    /** Whether the appliance started and has not yet been stopped. */
    public boolean isRunning() {
        return devices != null && !exit.isDone() && stopRequested.getCount() > 0;
    }

    /**
     * Asks for an orderly stop and returns at once; the stop itself runs in {@link #awaitExit()}.
     * Only the first reason counts.
     *
     * @param why for the log line, e.g. {@code signal TERM}
     */
    public void requestStop(String why) {
        reason.compareAndSet(null, why);
        stopRequested.countDown();
    }

    /**
     * Waits until a stop is requested, runs the stop sequence (once, on the first caller's thread)
     * and returns the exit status: 0 for a clean stop.
     */
    public int awaitExit() throws InterruptedException {
        stopRequested.await();
        if (stopping.compareAndSet(false, true)) {
            int status;
            synchronized (phase) { // waits for a reload under way
                try {
                    status = shutdown.apply(reason.get());
                } catch (Throwable t) {
                    status = Launcher.EX_SOFTWARE;
                }
            }
            exit.complete(status);
        }
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Reloads the appliance's data now, as SIGHUP does, and returns the outcome (already logged).
     * Never runs at the same time as another reload or as the stop; once a stop was requested it
     * does nothing and says so.
     */
    public ReloadOutcome reload() {
        synchronized (phase) {
            if (!isRunning()) {
                return new ReloadOutcome.Failed("stopping or not started; nothing reloaded");
            }
            return reload.get();
        }
    }

    /** The metrics as one line ({@code name=value ...}), as the stop logs them; SIGUSR1 logs it too. */
    public String metricsSummary() {
        String s = metricsSummary.get();
        return s.isEmpty() ? "none" : s;
    }

    /** {@link #requestStop requests a stop} and {@link #awaitExit() waits} for its status. */
    public int stop() throws InterruptedException {
        requestStop("stop requested");
        return awaitExit();
    }
}
