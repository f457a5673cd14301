package atoll.perf.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A suite's measurements arranged for display: scalar metrics, ratios, and series by metric. */
final class Tables {
    /** One chart's worth: one metric over one x axis, for every server that has it. */
    record Series(String metric, String unit, Measurement.Better better, String xname, List<Measurement> points) {
        List<Double> xs() {
            return Html.xsOf(points);
        }

        List<String> servers() {
            List<String> s = new ArrayList<>();
            for (Measurement m : points) {
                if (!s.contains(m.server())) {
                    s.add(m.server());
                }
            }
            return s;
        }

        Measurement find(String server, double x) {
            for (Measurement m : points) {
                if (m.server().equals(server) && m.x() == x) {
                    return m;
                }
            }
            return null;
        }
    }

    private final SuiteResult suite;
    /** The first measurement of each scalar metric, in order of appearance (for its name, unit, direction). */
    final List<Measurement> scalarMetrics = new ArrayList<>();

    Tables(SuiteResult suite) {
        this.suite = suite;
        for (Measurement m : suite.measurements()) {
            if (m.x() == null && scalarMetrics.stream().noneMatch(h -> h.metric().equals(m.metric()))) {
                scalarMetrics.add(m);
            }
        }
    }

    Measurement find(String metric, String server, Double x) {
        for (Measurement m : suite.measurements()) {
            if (m.metric().equals(metric) && m.server().equals(server) && Objects.equals(m.x(), x)) {
                return m;
            }
        }
        return null;
    }

    List<Series> series() {
        Map<String, List<Measurement>> by = new LinkedHashMap<>();
        for (Measurement m : suite.measurements()) {
            if (m.x() != null) {
                by.computeIfAbsent(m.metric() + "\u0000" + m.xname(), k -> new ArrayList<>()).add(m);
            }
        }
        List<Series> out = new ArrayList<>();
        for (List<Measurement> ms : by.values()) {
            Measurement h = ms.getFirst();
            out.add(new Series(h.metric(), h.unit(), h.better(), h.xname(), ms));
        }
        return out;
    }

    /** Scalar metrics with a direction, which the subject and at least one peer both have. */
    List<Measurement> ratioMetrics() {
        List<Measurement> out = new ArrayList<>();
        if (suite.subject() == null) {
            return out;
        }
        for (Measurement h : scalarMetrics) {
            if (h.better() == Measurement.Better.NONE || find(h.metric(), suite.subject(), null) == null) {
                continue;
            }
            for (String peer : suite.servers()) {
                if (!peer.equals(suite.subject()) && find(h.metric(), peer, null) != null) {
                    out.add(h);
                    break;
                }
            }
        }
        return out;
    }

    /** Rows: a peer's name, then subject ÷ peer per {@link #ratioMetrics()} (medians). */
    List<String[]> ratios() {
        List<Measurement> metrics = ratioMetrics();
        List<String[]> rows = new ArrayList<>();
        if (metrics.isEmpty()) {
            return rows;
        }
        for (String peer : suite.servers()) {
            if (peer.equals(suite.subject())) {
                continue;
            }
            String[] row = new String[metrics.size() + 1];
            row[0] = peer;
            boolean any = false;
            for (int i = 0; i < metrics.size(); i++) {
                Measurement a = find(metrics.get(i).metric(), suite.subject(), null);
                Measurement p = find(metrics.get(i).metric(), peer, null);
                if (a != null && p != null && p.median() != 0) {
                    row[i + 1] = String.format(java.util.Locale.ROOT, "%.2f", a.median() / p.median());
                    any = true;
                } else {
                    row[i + 1] = "–";
                }
            }
            if (any) {
                rows.add(row);
            }
        }
        return rows;
    }
}
