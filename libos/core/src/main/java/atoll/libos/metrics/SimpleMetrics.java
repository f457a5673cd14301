package atoll.libos.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The runtime's {@link Metrics}: counters are {@link LongAdder}s (no contention between event
 * loop and virtual threads on a per-packet path), gauges are read when a snapshot is taken. A name
 * is either a counter or a gauge, never both. Thread-safe.
 */
public final class SimpleMetrics implements Metrics {
    private final ConcurrentHashMap<String, AdderCounter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /**
     * {@inheritDoc} Callers on hot paths should look the counter up once and keep it.
     *
     * @throws IllegalArgumentException if {@code name} is a gauge
     */
    @Override
    public Counter counter(String name) {
        AdderCounter c = counters.get(name);
        if (c != null) {
            return c;
        }
        checkName(name);
        if (gauges.containsKey(name)) {
            throw new IllegalArgumentException("metric '" + name + "' is already a gauge");
        }
        return counters.computeIfAbsent(name, n -> new AdderCounter());
    }

    /**
     * {@inheritDoc} Registering the same name again replaces the gauge.
     *
     * @throws IllegalArgumentException if {@code name} is a counter
     */
    @Override
    public void gauge(String name, LongSupplier value) {
        checkName(name);
        java.util.Objects.requireNonNull(value, "value");
        if (counters.containsKey(name)) {
            throw new IllegalArgumentException("metric '" + name + "' is already a counter");
        }
        gauges.put(name, value);
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        TreeMap<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, AdderCounter> e : counters.entrySet()) {
            out.put(e.getKey(), e.getValue().value());
        }
        for (Map.Entry<String, LongSupplier> e : gauges.entrySet()) {
            out.put(e.getKey(), e.getValue().getAsLong());
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The snapshot as one line, {@code name=value} pairs in name order (for the exit log line). */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : snapshot().entrySet()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.chars().anyMatch(ch -> ch <= ' ' || ch == '=')) {
            throw new IllegalArgumentException("bad metric name: '" + name + "'");
        }
    }

    private static final class AdderCounter implements Counter {
        private final LongAdder adder = new LongAdder();

        @Override
        public void increment() {
            adder.increment();
        }

        @Override
        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("counters only go up: " + n);
            }
            adder.add(n);
        }

        @Override
        public long value() {
            return adder.sum();
        }
    }
}
