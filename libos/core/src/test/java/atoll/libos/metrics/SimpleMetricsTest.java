package atoll.libos.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimpleMetricsTest {

    @Test
    void countersAndGaugesInASortedSnapshot() {
        SimpleMetrics m = new SimpleMetrics();
        Metrics.Counter q = m.counter("dns.queries");
        assertSame(q, m.counter("dns.queries"));
        q.increment();
        q.add(4);
        AtomicLong flows = new AtomicLong(7);
        m.gauge("tcp.flows", flows::get);
        m.counter("a.first").increment();
        assertEquals(List.of("a.first", "dns.queries", "tcp.flows"), List.copyOf(m.snapshot().keySet()));
        assertEquals(5L, m.snapshot().get("dns.queries"));
        assertEquals(7L, m.snapshot().get("tcp.flows"));
        flows.set(2);
        assertEquals(2L, m.snapshot().get("tcp.flows"));
        assertEquals("a.first=1 dns.queries=5 tcp.flows=2", m.summary());
        assertThrows(UnsupportedOperationException.class, () -> m.snapshot().put("x", 1L));
    }

    @Test
    void namesAreEitherCounterOrGauge() {
        SimpleMetrics m = new SimpleMetrics();
        m.counter("c");
        m.gauge("g", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> m.gauge("c", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> m.counter("g"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("has space"));
        assertThrows(IllegalArgumentException.class, () -> m.counter(""));
        assertThrows(IllegalArgumentException.class, () -> m.counter("c").add(-1));
    }

    @Test
    void countsFromManyThreads() throws Exception {
        SimpleMetrics m = new SimpleMetrics();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    m.counter("n").increment();
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(40_000L, m.counter("n").value());
    }
}
