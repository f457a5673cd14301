package atoll.perf.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured quantity of one server in one suite: every repetition's value, so that a reader
 * (and {@link Compare}) sees the spread and not only a summary.
 *
 * @param metric     what is measured, e.g. {@code queries/s}, {@code start-up to first answer}
 * @param unit       e.g. {@code 1/s}, {@code ms}, {@code MiB}, {@code ns/op}, {@code B/op}
 * @param better     which way is better; {@link Better#NONE} for figures that only inform
 * @param server     the appliance or its counterpart (a JMH benchmark in the jmh suite)
 * @param x          the load level or size this point of a series was taken at; null for a scalar
 * @param xname      what {@code x} counts (e.g. {@code dnsperf clients}, {@code file KiB}); null for a scalar
 * @param values     one value per repetition, in the order taken (at least one)
 * @param resolution the smallest difference that means anything (0: any); {@link Compare} ignores less
 */
public record Measurement(String metric, String unit, Better better, String server, Double x, String xname,
        List<Double> values, double resolution) {

    /** Which way of a metric is better. */
    public enum Better {
        HIGHER, LOWER, NONE;

        static Better of(String s) {
            return switch (s == null ? "none" : s) {
                case "higher" -> HIGHER;
                case "lower" -> LOWER;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("better: '" + s + "' (higher, lower, none)");
            };
        }

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Measurement {
        if (metric == null || metric.isBlank() || server == null || server.isBlank()) {
            throw new IllegalArgumentException("a measurement needs a metric and a server");
        }
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("measurement '" + metric + "' of '" + server + "' has no values");
        }
        if ((x == null) != (xname == null)) {
            throw new IllegalArgumentException("measurement '" + metric + "': x and xname go together");
        }
    }

    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().getFirst();
    }

    public double max() {
        return sorted().getLast();
    }

    /** (max − min) / |median|: the repetitions' relative range; 0 for one repetition or a zero median. */
    public double spread() {
        double m = Math.abs(median());
        return m == 0 ? 0 : (max() - min()) / m;
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }

    /** What identifies this measurement across two runs. */
    String key() {
        return metric + " | " + server + (x == null ? "" : " | " + xname + "=" + Json.number(x));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("unit", unit);
        m.put("better", better.word());
        m.put("server", server);
        if (x != null) {
            m.put("x", x);
            m.put("xname", xname);
        }
        m.put("values", values);
        if (resolution != 0) {
            m.put("resolution", resolution);
        }
        return m;
    }

    static Measurement fromJson(Map<?, ?> m) {
        List<Double> values = new ArrayList<>();
        if (!(m.get("values") instanceof List<?> l)) {
            throw new IllegalArgumentException("measurement without a 'values' array: " + m);
        }
        for (Object o : l) {
            if (!(o instanceof Double d)) {
                throw new IllegalArgumentException("measurement value is not a number: " + o + " in " + m);
            }
            values.add(d);
        }
        return new Measurement(str(m, "metric"), str(m, "unit"), Better.of(str(m, "better")), str(m, "server"),
                (Double) m.get("x"), str(m, "xname"), values,
                m.get("resolution") instanceof Double r ? r : 0);
    }

    static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : String.valueOf(v);
    }
}
