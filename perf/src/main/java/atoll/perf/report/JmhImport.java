package atoll.perf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH's {@code -rf json} output into the jmh suite's measurements: per benchmark (with its
 * parameters), the primary score of every measurement iteration ({@code time per op} in the
 * benchmark's unit, or throughput) and, when run with {@code -prof gc}, {@code gc.alloc.rate.norm}
 * per iteration as {@code allocation} in B/op.
 */
public final class JmhImport {
    private JmhImport() {}

    public static List<Measurement> measurements(String jmhJson) {
        Object v = Json.parse(jmhJson);
        if (!(v instanceof List<?> runs)) {
            throw new IllegalArgumentException("JMH result: expected a JSON array of benchmark runs");
        }
        List<Measurement> out = new ArrayList<>();
        for (Object o : runs) {
            Map<?, ?> run = (Map<?, ?>) o;
            String name = String.valueOf(run.get("benchmark"));
            // atoll.perf.QueryEngineBenchmark.positive -> QueryEngineBenchmark.positive
            int cut = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
            StringBuilder server = new StringBuilder(name.substring(cut + 1));
            if (run.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
                server.append(' ');
                String sep = "";
                for (Map.Entry<?, ?> p : params.entrySet()) {
                    server.append(sep).append(p.getKey()).append('=').append(p.getValue());
                    sep = ",";
                }
            }
            Map<?, ?> primary = (Map<?, ?>) run.get("primaryMetric");
            String unit = String.valueOf(primary.get("scoreUnit"));
            boolean throughput = "thrpt".equals(run.get("mode"));
            out.add(new Measurement(throughput ? "throughput" : "time per operation", unit,
                    throughput ? Measurement.Better.HIGHER : Measurement.Better.LOWER, server.toString(), null, null,
                    raw(primary), 0));
            if (run.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
                for (Map.Entry<?, ?> e : secondary.entrySet()) {
                    // JMH before 1.36 prefixed profiler metrics with a middle dot.
                    String key = String.valueOf(e.getKey()).replace("\u00b7", "");
                    if (key.equals("gc.alloc.rate.norm")) {
                        // JMH's own per-iteration bookkeeping spreads a fraction of a byte over the
                        // operations: differences under 1 B/op mean nothing.
                        out.add(new Measurement("allocation", "B/op", Measurement.Better.LOWER, server.toString(), null, null,
                                raw((Map<?, ?>) e.getValue()), 1));
                    }
                }
            }
        }
        return out;
    }

    /** Every iteration of every fork, in order. */
    private static List<Double> raw(Map<?, ?> metric) {
        List<Double> values = new ArrayList<>();
        if (metric.get("rawData") instanceof List<?> forks) {
            for (Object f : forks) {
                for (Object x : (List<?>) f) {
                    values.add((Double) x);
                }
            }
        }
        if (values.isEmpty()) {
            values.add((Double) metric.get("score"));
        }
        return values;
    }
}
