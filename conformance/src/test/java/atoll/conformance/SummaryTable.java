package atoll.conformance;

import atoll.conformance.FeatureMap.Entry;
import atoll.conformance.FeatureMap.Status;
import atoll.conformance.FeatureSummary.Outcome;
import atoll.conformance.FeatureSummary.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The conformance summary as text: per appliance, one row per feature of its {@code features.txt}
 * in file order, with a column per target: {@code pass}, {@code FAIL}, {@code skipped}, or
 * {@code -} when no test on that target checks it (or it was not selected); features the suites do
 * not check show what CONFORMANCE.md says instead ({@code not supported}, {@code own tests},
 * {@code no test}). Failed tests are listed under the table with the start of their message.
 */
public final class SummaryTable {
    static final int TEXT_WIDTH = 64;
    /** Width of a target's column: "skipped" and two spaces. */
    static final int COLUMN = 9;
    static final int ID_WIDTH = 24;

    private SummaryTable() {}

    public static String render(List<Outcome> outcomes, List<Appliance> appliances) throws IOException {
        List<OnTarget> targets = targets();
        StringBuilder b = new StringBuilder();
        b.append("Conformance summary: each feature of each appliance's CONFORMANCE.md, checked against its built image.\n")
                .append("pass/FAIL per target; 'not supported' and 'no test' as CONFORMANCE.md states; 'own tests': checked by\n")
                .append("the appliance module's unit and in-process tests, not here. JUnit XML: conformance/target/failsafe-reports/\n");
        int failures = 0;
        for (Appliance a : appliances) {
            FeatureMap map = FeatureMap.load(a);
            b.append('\n').append(a.tag()).append("  (appliances/").append(a.tag()).append("/CONFORMANCE.md)\n");
            // Wide enough for every target's column and for "not supported", with a space after.
            int width = Math.max(COLUMN * targets.size(), "not supported".length()) + 1;
            StringBuilder head = new StringBuilder();
            for (OnTarget t : targets) {
                head.append(pad(t.tag(), COLUMN));
            }
            b.append("  ").append(pad(head.toString(), width)).append(pad("feature", ID_WIDTH)).append("in CONFORMANCE.md\n");
            int[] counts = new int[6]; // pass, fail, not supported, own tests, no test, not run
            for (Entry e : map.entries()) {
                b.append("  ");
                switch (e.status()) {
                    case SUITE -> {
                        StringBuilder cells = new StringBuilder();
                        boolean any = false;
                        boolean failed = false;
                        for (OnTarget t : targets) {
                            String cell = cell(outcomes, a, t, e.id());
                            any |= !cell.equals("-");
                            failed |= cell.equals("FAIL");
                            cells.append(pad(cell, COLUMN));
                        }
                        b.append(pad(cells.toString(), width));
                        counts[failed ? 1 : any ? 0 : 5]++;
                    }
                    case UNSUPPORTED -> {
                        b.append(pad("not supported", width));
                        counts[2]++;
                    }
                    case MODULE -> {
                        b.append(pad("own tests", width));
                        counts[3]++;
                    }
                    case UNTESTED -> {
                        b.append(pad("no test", width));
                        counts[4]++;
                    }
                }
                b.append(pad(e.id(), ID_WIDTH)).append(shorten(e.text())).append('\n');
            }
            b.append("  ").append(counts[0]).append(" pass, ").append(counts[1]).append(" fail, ")
                    .append(counts[2]).append(" not supported, ").append(counts[3]).append(" own tests, ")
                    .append(counts[4]).append(" no test");
            if (counts[5] > 0) {
                b.append(", ").append(counts[5]).append(" not run (not selected, or no suite on this target)");
            }
            b.append('\n');
            Set<String> failed = new LinkedHashSet<>();
            for (Outcome o : outcomes) {
                if (o.appliance() == a && o.result() == Result.FAIL) {
                    failed.add(o.target().tag() + "  " + o.test() + ": " + o.message());
                }
            }
            for (String f : failed) {
                b.append("  FAILED ").append(f).append('\n');
            }
            failures += counts[1];
            List<String> unknown = new ArrayList<>();
            for (Outcome o : outcomes) {
                if (o.appliance() == a && map.get(o.feature()).filter(x -> x.status() == Status.SUITE).isEmpty()) {
                    unknown.add(o.test() + " names '" + o.feature() + "'");
                }
            }
            for (String u : new LinkedHashSet<>(unknown)) {
                b.append("  (no suite feature in features.txt: ").append(u).append(")\n");
            }
        }
        b.append('\n').append(failures == 0 ? "no feature failed" : failures + " feature(s) failed").append('\n');
        return b.toString();
    }

    /** The targets asked for ({@code atoll.conformance.target}; empty: every target). */
    static List<OnTarget> targets() {
        String t = System.getProperty("atoll.conformance.target", "").strip();
        return t.isEmpty() ? Arrays.asList(OnTarget.values()) : OnTarget.named(t).map(List::of).orElse(List.of());
    }

    static String cell(List<Outcome> outcomes, Appliance a, OnTarget t, String feature) {
        boolean pass = false;
        boolean skipped = false;
        for (Outcome o : outcomes) {
            if (o.appliance() == a && o.target() == t && o.feature().equals(feature)) {
                switch (o.result()) {
                    case FAIL -> {
                        return "FAIL";
                    }
                    case PASS -> pass = true;
                    case SKIPPED -> skipped = true;
                }
            }
        }
        return pass ? "pass" : skipped ? "skipped" : "-";
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    static String shorten(String text) {
        String t = text.replace("`", "");
        return t.length() <= TEXT_WIDTH ? t : t.substring(0, TEXT_WIDTH - 1) + "…";
    }
}
