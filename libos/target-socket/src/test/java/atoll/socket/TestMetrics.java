package atoll.socket;

import atoll.libos.metrics.Metrics;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Minimal thread-safe {@link Metrics} for tests; increments do not allocate. */
final class TestMetrics implements Metrics {
    private final ConcurrentHashMap<String, TestCounter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> new TestCounter());
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.value()));
        gauges.forEach((k, v) -> out.put(k, v.getAsLong()));
        return out;
    }

    /** The counter's value, else the gauge's, 0 if neither was created. */
    long value(String name) {
        TestCounter c = counters.get(name);
        if (c != null) {
            return c.value();
        }
        LongSupplier g = gauges.get(name);
        return g == null ? 0 : g.getAsLong();
    }

    private static final class TestCounter implements Counter {
        private final AtomicLong value = new AtomicLong();

        @Override
        public void increment() {
            value.incrementAndGet();
        }

        @Override
        public void add(long n) {
            value.addAndGet(n);
        }

        @Override
        public long value() {
            return value.get();
        }
    }
}
