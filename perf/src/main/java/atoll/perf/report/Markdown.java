package atoll.perf.report;

import java.util.List;

/** The report's tables as Markdown (for the README's headline table and for terminals). */
public final class Markdown {
    private Markdown() {}

    public static String render(List<SuiteResult> suites) {
        StringBuilder b = new StringBuilder();
        for (SuiteResult s : suites) {
            b.append("### ").append(s.title()).append("\n\n");
            b.append(Html.nz(s.date())).append(", commit ").append(Html.nz(s.commit())).append(", ")
                    .append(Html.nz(s.machine())).append(".");
            if (s.settings() != null) {
                b.append(' ').append(s.settings());
            }
            b.append("\n\n");
            if (s.status() != SuiteResult.Status.OK) {
                b.append("**").append(s.status() == SuiteResult.Status.FAILED ? "Failed" : "Not available").append("**: ")
                        .append(Html.nz(s.reason())).append("\n\n");
            }
            Tables t = new Tables(s);
            if (!t.scalarMetrics.isEmpty()) {
                b.append("| server |");
                for (Measurement m : t.scalarMetrics) {
                    b.append(' ').append(m.metric()).append(" (").append(Html.nz(m.unit())).append(")")
                            .append(arrow(m)).append(" |");
                }
                b.append("\n|---|");
                b.append("---:|".repeat(t.scalarMetrics.size())).append('\n');
                for (String server : s.servers()) {
                    if (t.scalarMetrics.stream().allMatch(h -> t.find(h.metric(), server, null) == null)) {
                        continue;
                    }
                    b.append("| ").append(server).append(" |");
                    for (Measurement h : t.scalarMetrics) {
                        Measurement m = t.find(h.metric(), server, null);
                        b.append(' ').append(m == null ? "–" : cell(m)).append(" |");
                    }
                    b.append('\n');
                }
                b.append('\n');
                List<String[]> ratios = t.ratios();
                if (!ratios.isEmpty()) {
                    b.append("| ").append(s.subject()).append(" ÷ counterpart |");
                    for (Measurement m : t.ratioMetrics()) {
                        b.append(' ').append(m.metric()).append(arrow(m)).append(" |");
                    }
                    b.append("\n|---|").append("---:|".repeat(t.ratioMetrics().size())).append('\n');
                    for (String[] row : ratios) {
                        b.append("| ").append(String.join(" | ", row)).append(" |\n");
                    }
                    b.append('\n');
                }
            }
            for (Tables.Series series : t.series()) {
                b.append("| ").append(series.metric()).append(" (").append(Html.nz(series.unit())).append(")")
                        .append(arrow(series.better())).append(" by ").append(series.xname()).append(" |");
                for (double x : series.xs()) {
                    b.append(' ').append(Html.num(x)).append(" |");
                }
                b.append("\n|---|").append("---:|".repeat(series.xs().size())).append('\n');
                for (String server : series.servers()) {
                    b.append("| ").append(server).append(" |");
                    for (double x : series.xs()) {
                        Measurement m = series.find(server, x);
                        b.append(' ').append(m == null ? "–" : cell(m)).append(" |");
                    }
                    b.append('\n');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String cell(Measurement m) {
        String med = Html.num(m.median());
        return m.values().size() == 1 ? med : med + " (" + Html.num(m.min()) + "–" + Html.num(m.max()) + ")";
    }

    private static String arrow(Measurement m) {
        return arrow(m.better());
    }

    private static String arrow(Measurement.Better b) {
        String a = Html.arrow(b);
        return a.isEmpty() ? "" : " " + a;
    }
}
