package atoll.linux;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One platform thread of this JVM that has entered a network namespace ({@code setns}); tasks run
 * on it, so the sockets and TAP devices they open, and the threads it starts, belong to the
 * namespace; the descriptors can then be used from any thread. Lets in-process tests put a target
 * and its kernel peers inside the namespace the test made, while the JVM itself stays outside.
 */
public final class NetworkNamespaceThread implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private final ExecutorService thread;

    /**
     * Starts the thread and moves it into {@code namespace} (made by {@code ip netns add}).
     *
     * @throws LinuxException if it cannot enter (no such namespace, no CAP_SYS_ADMIN)
     */
    public NetworkNamespaceThread(String namespace) throws Exception {
        thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("netns-" + namespace).daemon(true)
                .unstarted(r));
        call(() -> {
            Syscalls.enterNetworkNamespace(namespace);
            return null;
        });
    }

    /** Runs {@code task} inside the namespace and returns its result (bounded: 30 s). */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception x) {
                throw x;
            }
            throw (Error) c;
        }
    }

    /** Stops the thread. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
