package atoll.libos.metrics;

import java.util.SortedMap;
import java.util.function.LongSupplier;

/** Named counters and gauges. Thread-safe; counters are cheap enough for per-packet paths. */
public interface Metrics {

    /** The counter called {@code name}, created on first use. */
    Counter counter(String name);

    /** Registers a gauge read on demand. */
    void gauge(String name, LongSupplier value);

    /** Current values of every counter and gauge, by name. */
    SortedMap<String, Long> snapshot();

    /** A monotonically increasing count. */
    interface Counter {
        void increment();

        void add(long n);

        long value();
    }
}
