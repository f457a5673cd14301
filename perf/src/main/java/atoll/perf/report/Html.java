package atoll.perf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The report: one self-contained HTML file (no script, style, font or image fetched from
 * anywhere) with, per suite, a table of the scalar figures (median and the repetitions' range),
 * the appliance's ratio to each counterpart, and an inline SVG line chart for every series over
 * load levels or sizes. A short inline script records the drawn size of every chart in
 * {@code <pre id="render-check">} so that a headless browser's DOM dump shows whether each rendered.
 */
public final class Html {
    /** Series colours (Okabe–Ito, readable by colour-blind readers). */
    static final String[] PALETTE = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"};

    static final int W = 640, H = 320, LEFT = 76, RIGHT = 16, TOP = 40, BOTTOM = 48;

    private Html() {}

    public static String render(List<SuiteResult> suites, String generated) {
        StringBuilder b = new StringBuilder(16384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Atoll side-by-side benchmarks</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}\n")
                .append("table{border-collapse:collapse;margin:.8em 0}th,td{border:1px solid #bbb;padding:.25em .6em}\n")
                .append("th{background:#eee;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("small{color:#666}.meta{color:#555;font-size:.9em;margin:.2em 0}\n")
                .append(".na{background:#fff4e0;border-left:4px solid #e69f00;padding:.4em .8em}\n")
                .append(".failed{background:#fde8e8;border-left:4px solid #c00;padding:.4em .8em}\n")
                .append("figure{margin:1em 0}figcaption{font-size:.9em;color:#444}svg.chart{background:#fff}\n")
                .append("</style></head><body>\n<h1>Atoll side-by-side benchmarks</h1>\n<p class=\"meta\">")
                .append(esc(generated)).append(". Each cell: median of the repetitions, then <small>(min–max, n)</small>. ")
                .append("↑ higher is better, ↓ lower is better. A ratio table divides the appliance's median by ")
                .append("the counterpart's: above 1 on a ↑ column, or below 1 on a ↓ column, is in the appliance's favour.</p>\n<ul>\n");
        for (SuiteResult s : suites) {
            b.append("<li><a href=\"#suite-").append(esc(s.suite())).append("\">").append(esc(s.title()))
                    .append("</a>").append(s.status() == SuiteResult.Status.OK ? "" : " — " + s.status().word())
                    .append("</li>\n");
        }
        b.append("</ul>\n");
        int chart = 0;
        for (SuiteResult s : suites) {
            b.append("<section id=\"suite-").append(esc(s.suite())).append("\">\n<h2>").append(esc(s.title())).append("</h2>\n");
            b.append("<p class=\"meta\">").append(esc(nz(s.date()))).append(" · commit ").append(esc(nz(s.commit())))
                    .append(" · ").append(esc(nz(s.machine()))).append("</p>\n");
            if (s.settings() != null) {
                b.append("<p class=\"meta\">").append(esc(s.settings())).append("</p>\n");
            }
            if (s.status() != SuiteResult.Status.OK) {
                b.append("<p class=\"").append(s.status() == SuiteResult.Status.FAILED ? "failed" : "na").append("\"><strong>")
                        .append(s.status() == SuiteResult.Status.FAILED ? "failed" : "not available").append("</strong>: ")
                        .append(esc(nz(s.reason()))).append("</p>\n");
            }
            Tables t = new Tables(s);
            if (!t.scalarMetrics.isEmpty()) {
                b.append("<table><tr><th>server</th>");
                for (Measurement m : t.scalarMetrics) {
                    b.append("<th>").append(esc(m.metric())).append(" <small>").append(esc(nz(m.unit()))).append(' ')
                            .append(arrow(m.better())).append("</small></th>");
                }
                b.append("</tr>\n");
                for (String server : s.servers()) {
                    b.append("<tr><td>").append(esc(server)).append("</td>");
                    for (Measurement head : t.scalarMetrics) {
                        Measurement m = t.find(head.metric(), server, null);
                        b.append("<td class=\"n\">").append(m == null ? "–" : cell(m)).append("</td>");
                    }
                    b.append("</tr>\n");
                }
                b.append("</table>\n");
                List<String[]> ratios = t.ratios();
                if (!ratios.isEmpty()) {
                    b.append("<table><tr><th>").append(esc(s.subject())).append(" ÷ counterpart</th>");
                    for (Measurement m : t.ratioMetrics()) {
                        b.append("<th>").append(esc(m.metric())).append(" <small>").append(arrow(m.better())).append("</small></th>");
                    }
                    b.append("</tr>\n");
                    for (String[] row : ratios) {
                        b.append("<tr><td>").append(esc(row[0])).append("</td>");
                        for (int i = 1; i < row.length; i++) {
                            b.append("<td class=\"n\">").append(esc(row[i])).append("</td>");
                        }
                        b.append("</tr>\n");
                    }
                    b.append("</table>\n");
                }
            }
            for (Tables.Series series : t.series()) {
                chart++;
                String id = "chart-" + s.suite() + "-" + chart;
                b.append("<figure>\n").append(chart(id, series)).append("<figcaption>").append(esc(series.metric()))
                        .append(" (").append(esc(nz(series.unit()))).append(", ").append(arrow(series.better()))
                        .append(") over ").append(esc(series.xname())).append(": median of the repetitions, bars from min to max")
                        .append("</figcaption>\n</figure>\n");
                b.append("<table><tr><th>").append(esc(series.metric())).append(" <small>").append(esc(nz(series.unit())))
                        .append("</small> \\ ").append(esc(series.xname())).append("</th>");
                for (double x : series.xs()) {
                    b.append("<th>").append(num(x)).append("</th>");
                }
                b.append("</tr>\n");
                for (String server : series.servers()) {
                    b.append("<tr><td>").append(esc(server)).append("</td>");
                    for (double x : series.xs()) {
                        Measurement m = t.find(series.metric(), server, x);
                        b.append("<td class=\"n\">").append(m == null ? "–" : cell(m)).append("</td>");
                    }
                    b.append("</tr>\n");
                }
                b.append("</table>\n");
            }
            b.append("</section>\n");
        }
        b.append("<pre id=\"render-check\" hidden></pre>\n<script>\n")
                .append("(function () {\n")
                .append("  var lines = [];\n")
                .append("  document.querySelectorAll('svg.chart').forEach(function (svg) {\n")
                .append("    var r = svg.getBoundingClientRect(), marks = svg.querySelectorAll('[data-mark]'), drawn = 0;\n")
                .append("    marks.forEach(function (m) { var bb = m.getBBox(); if (bb.width > 0 && bb.height > 0) drawn++; });\n")
                .append("    lines.push(svg.id + ' ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' marks=' + marks.length + ' drawn=' + drawn);\n")
                .append("  });\n")
                .append("  document.getElementById('render-check').textContent = 'charts=' + lines.length + '\\n' + lines.join('\\n');\n")
                .append("})();\n</script>\n</body></html>\n");
        return b.toString();
    }

    /** One line chart: a polyline per server through its medians, a dot per point, a bar from min to max. */
    static String chart(String id, Tables.Series s) {
        List<Double> xs = s.xs();
        double top = 0;
        for (Measurement m : s.points()) {
            top = Math.max(top, m.max());
        }
        double[] ticks = ticks(top);
        double ymax = ticks[ticks.length - 1];
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" id=\"").append(esc(id)).append("\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\" aria-label=\"")
                .append(esc(s.metric())).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        for (double t : ticks) {
            double y = TOP + ph - ph * t / ymax;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, LEFT + pw, y, y))
                    .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 6, y + 4, num(t)));
        }
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>", LEFT, LEFT + pw, TOP + ph, TOP + ph))
                .append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", LEFT, LEFT, TOP, TOP + ph));
        for (int i = 0; i < xs.size(); i++) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", xpos(i, xs.size(), pw),
                    TOP + ph + 16, num(xs.get(i))));
        }
        b.append(String.format(Locale.ROOT, "\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + pw / 2, H - 8, esc(s.xname())))
                .append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                        TOP + ph / 2, esc(s.metric() + (s.unit() == null ? "" : " (" + s.unit() + ")"))));
        int lx = LEFT;
        for (int k = 0; k < s.servers().size(); k++) {
            String server = s.servers().get(k);
            String colour = PALETTE[k % PALETTE.length];
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, colour))
                    .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\">%s</text>\n", lx + 16, esc(server)));
            lx += 28 + 7 * server.length();
            StringBuilder poly = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < xs.size(); i++) {
                Measurement m = s.find(server, xs.get(i));
                if (m == null) {
                    continue;
                }
                double x = xpos(i, xs.size(), pw);
                double y = TOP + ph - ph * m.median() / ymax;
                poly.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                dots.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                        x, x, TOP + ph - ph * m.min() / ymax, TOP + ph - ph * m.max() / ymax, colour));
                dots.append(String.format(Locale.ROOT, "<circle data-mark=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s: %s</title></circle>\n",
                        esc(server), x, y, colour, esc(server), num(m.median())));
            }
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(poly.toString().trim()).append("\"/>\n").append(dots);
        }
        return b.append("</svg>\n").toString();
    }

    private static double xpos(int i, int n, int pw) {
        return n == 1 ? LEFT + pw / 2.0 : LEFT + 24 + (pw - 48) * i / (double) (n - 1);
    }

    /** 0 and four or five round steps up to at least {@code top}. */
    static double[] ticks(double top) {
        if (top <= 0) {
            return new double[] {0, 1};
        }
        double raw = top / 4;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            step = f * mag;
            if (step >= raw) {
                break;
            }
        }
        List<Double> t = new ArrayList<>();
        for (double v = 0; v < top + step * 1e-9; v += step) {
            t.add(v);
        }
        if (t.getLast() < top) {
            t.add(t.getLast() + step);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String cell(Measurement m) {
        String med = num(m.median());
        if (m.values().size() == 1) {
            return med;
        }
        return med + " <small>(" + num(m.min()) + "–" + num(m.max()) + ", " + m.values().size() + ")</small>";
    }

    static String arrow(Measurement.Better b) {
        return switch (b) {
            case HIGHER -> "↑";
            case LOWER -> "↓";
            case NONE -> "";
        };
    }

    /** A number for people: three significant digits below 100, integers above, thousands unseparated. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The distinct x values of a set of measurements, ascending. */
    static List<Double> xsOf(List<Measurement> ms) {
        TreeSet<Double> t = new TreeSet<>();
        for (Measurement m : ms) {
            t.add(m.x());
        }
        return List.copyOf(t);
    }
}
