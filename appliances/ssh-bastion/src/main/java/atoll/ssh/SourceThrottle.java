package atoll.ssh;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentications counted per source address over a sliding window: a source past the
 * limit has its new connections closed before the SSH exchange until the window has moved on.
 * Times are the injected clock's nanoseconds. Memory is bounded: sources are forgotten once their
 * window is empty, and at most {@link #MAX_SOURCES} are tracked (the oldest-looking is dropped).
 */
final class SourceThrottle {
    /** Bound on tracked sources, so a spray of addresses cannot grow the map without limit. */
    static final int MAX_SOURCES = 65_536;

    private final int limit;
    private final long windowNanos;
    private final Map<InetAddress, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    SourceThrottle(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    void failed(InetAddress source, long now) {
        if (failures.size() >= MAX_SOURCES && !failures.containsKey(source)) {
            failures.keySet().stream().findAny().ifPresent(failures::remove);
        }
        ArrayDeque<Long> times = failures.computeIfAbsent(source, s -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            trim(times, now);
        }
    }

    /** Whether {@code source} is past the limit now. */
    boolean blocked(InetAddress source, long now) {
        ArrayDeque<Long> times = failures.get(source);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            trim(times, now);
            if (times.isEmpty()) {
                failures.remove(source, times);
                return false;
            }
            return times.size() >= limit;
        }
    }

    private void trim(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        while (times.size() > limit) {
            times.pollFirst();
        }
    }
}
