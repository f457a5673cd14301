package atoll.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running image (or any server a suite starts) with its log file: bounded waits for readiness,
 * signals, and the orderly stop every appliance owes (SIGTERM, exit 0). {@link #close()} kills
 * what is still running, so a failed test leaves no process behind.
 */
public final class ImageProcess implements AutoCloseable {
    /** Upper bound on start-up and on a stop, so a hang fails the test instead of the build. */
    public static final long BOUND_SECONDS = 120;
    /** Polls 100 ms apart before deciding a server never became ready. */
    public static final int READY_POLLS = 600;
    /** The line libos's Launcher logs once the appliance serves. */
    public static final String READY_LINE = " ready on target ";

    /** A readiness probe: true once the server answers; an exception counts as "not yet". */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws Exception;
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ImageProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Wraps a process started elsewhere (inside a network namespace, say) whose output goes to {@code log}. */
    public static ImageProcess of(String name, Process process, Path log) {
        return new ImageProcess(name, process, log);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The log so far, or why it cannot be read. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits (bounded) until the log holds {@code text}; fails if the process exits first. */
    public ImageProcess awaitLine(String text) throws Exception {
        return await("'" + text + "' in the log", () -> log().contains(text));
    }

    /** Waits (bounded) for the Launcher's ready line. */
    public ImageProcess awaitReady() throws Exception {
        return awaitLine(READY_LINE);
    }

    /** Polls {@code probe} (bounded) until it holds; fails if the process exits first. */
    public ImageProcess await(String what, Probe probe) throws Exception {
        for (int poll = 0; poll < READY_POLLS; poll++) {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + " before " + what + ":\n" + log());
            }
            try {
                if (probe.ready()) {
                    return this;
                }
            } catch (IOException notYet) {
                // Not listening yet, or no answer yet: poll again.
            }
            process.waitFor(100, TimeUnit.MILLISECONDS); // returns early if it exits
        }
        return fail(name + ": no " + what + " after " + READY_POLLS + " polls:\n" + log());
    }

    /** Sends signal {@code signal} (HUP, USR1...) with kill(1). */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "kill hung");
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + process.pid());
    }

    /** SIGTERM (Process.destroy on Linux), then the exit status must be 0; returns the whole log. */
    public String stop() throws Exception {
        assertTrue(process.supportsNormalTermination(), "this platform cannot send SIGTERM");
        process.destroy();
        if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(name + " did not stop within " + BOUND_SECONDS + " s of SIGTERM:\n" + log());
        }
        String all = log();
        assertEquals(0, process.exitValue(), () -> name + ": exit status after SIGTERM:\n" + all);
        return all;
    }

    /** Kills the process if it still runs (after a failure); an orderly stop is {@link #stop()}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
