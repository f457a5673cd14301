package atoll.perf.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two runs measurement by measurement and says which moved beyond noise.
 *
 * <p>The rule (perf/README.md, "Comparing two runs"): for a measurement present in both runs
 * whose metric has a better direction, let {@code change} be the relative move of the median
 * towards worse ({@code (old − new) / |old|} when higher is better, {@code (new − old) / |old|}
 * when lower is better). The noise is the larger of the two runs' relative ranges
 * ({@code (max − min) / |median|} over the repetitions), and never less than {@link #FLOOR}.
 * A change above the noise is a regression, one below minus the noise an improvement; a
 * difference within the measurement's {@code resolution} (e.g. 1 B/op) is never either.
 */
public final class Compare {
    /** The least relative change reported, even when the repetitions agree closely: 5 %. */
    public static final double FLOOR = 0.05;

    /** What became of one measurement. */
    public sealed interface Verdict {
        String key();
    }

    /** Worse beyond noise. */
    public record Regression(String key, double oldMedian, double newMedian, double change, double noise) implements Verdict {}

    /** Better beyond noise. */
    public record Improvement(String key, double oldMedian, double newMedian, double change, double noise) implements Verdict {}

    /** Within noise (or a figure with no better direction). */
    public record Unchanged(String key, double oldMedian, double newMedian, double change, double noise) implements Verdict {}

    /** In only one of the two runs. */
    public record Unmatched(String key, boolean onlyInOld) implements Verdict {}

    private Compare() {}

    public static List<Verdict> compare(List<SuiteResult> older, List<SuiteResult> newer) {
        Map<String, Measurement> a = index(older);
        Map<String, Measurement> b = index(newer);
        List<Verdict> out = new ArrayList<>();
        for (Map.Entry<String, Measurement> e : a.entrySet()) {
            Measurement n = b.get(e.getKey());
            out.add(n == null ? new Unmatched(e.getKey(), true) : judge(e.getKey(), e.getValue(), n));
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                out.add(new Unmatched(k, false));
            }
        }
        return out;
    }

    static Verdict judge(String key, Measurement o, Measurement n) {
        double mo = o.median();
        double mn = n.median();
        double noise = Math.max(FLOOR, Math.max(o.spread(), n.spread()));
        if (o.better() == Measurement.Better.NONE || mo == 0) {
            return new Unchanged(key, mo, mn, 0, noise);
        }
        double worse = (o.better() == Measurement.Better.HIGHER ? mo - mn : mn - mo) / Math.abs(mo);
        double resolution = Math.max(o.resolution(), n.resolution());
        if (Math.abs(mn - mo) <= resolution) {
            return new Unchanged(key, mo, mn, worse, noise);
        }
        if (worse > noise) {
            return new Regression(key, mo, mn, worse, noise);
        }
        if (-worse > noise) {
            return new Improvement(key, mo, mn, worse, noise);
        }
        return new Unchanged(key, mo, mn, worse, noise);
    }

    private static Map<String, Measurement> index(List<SuiteResult> suites) {
        Map<String, Measurement> m = new LinkedHashMap<>();
        for (SuiteResult s : suites) {
            for (Measurement x : s.measurements()) {
                m.put(s.suite() + " | " + x.key(), x);
            }
        }
        return m;
    }

    /** The verdicts as text, regressions first; one line each. */
    public static String render(List<Verdict> verdicts) {
        StringBuilder b = new StringBuilder();
        int reg = 0, imp = 0, same = 0, unmatched = 0;
        for (Class<?> kind : List.of(Regression.class, Improvement.class, Unchanged.class, Unmatched.class)) {
            for (Verdict v : verdicts) {
                if (!kind.isInstance(v)) {
                    continue;
                }
                switch (v) {
                    case Regression r -> {
                        reg++;
                        b.append(line("REGRESSION", r.key(), r.oldMedian(), r.newMedian(), r.change(), r.noise()));
                    }
                    case Improvement i -> {
                        imp++;
                        b.append(line("improved", i.key(), i.oldMedian(), i.newMedian(), i.change(), i.noise()));
                    }
                    case Unchanged u -> {
                        same++;
                        b.append(line("same", u.key(), u.oldMedian(), u.newMedian(), u.change(), u.noise()));
                    }
                    case Unmatched u -> {
                        unmatched++;
                        b.append(String.format("%-10s %s (only in the %s run)%n", "unmatched", u.key(),
                                u.onlyInOld() ? "old" : "new"));
                    }
                }
            }
        }
        b.append(String.format("%d regressions, %d improvements, %d within noise, %d unmatched%n", reg, imp, same, unmatched));
        return b.toString();
    }

    private static String line(String word, String key, double o, double n, double worse, double noise) {
        return String.format("%-10s %s: %s -> %s (%+.1f %% worse, noise %.1f %%)%n", word, key,
                Html.num(o), Html.num(n), 100 * worse, 100 * noise);
    }
}
