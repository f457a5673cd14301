package atoll.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The perf harness's result tool (perf/README.md, "One command: ./atoll perf"). Runs with the JDK
 * alone, also as a source-file program ({@code java perf/src/main/java/atoll/perf/report/Main.java}):
 *
 * <pre>
 *   suite   RECORDS.tsv OUT.json           a suite's records (written by perf/lib/common.sh) as a result file
 *   jmh     JMH.json OUT.json [key=value]  JMH's -rf json output as the jmh suite's result file
 *   merge   OUT.json FILE...               several suite (or run) files as one run file
 *   report  OUT.html FILE...               the HTML report
 *   markdown FILE...                       the tables as Markdown, on stdout
 *   compare OLD.json NEW.json              regressions beyond noise; exit status 1 if any
 * </pre>
 * A bad file or argument: one line on stderr, exit status 2.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException bad) {
            System.err.println("perf report: " + bad.getMessage());
            System.exit(2);
        } catch (java.nio.file.NoSuchFileException missing) {
            System.err.println("perf report: no such file: " + missing.getFile());
            System.exit(2);
        } catch (IOException bad) {
            System.err.println("perf report: " + bad);
            System.exit(2);
        }
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: suite|jmh|merge|report|markdown|compare ... (see perf/README.md)");
        }
        List<String> rest = List.of(args).subList(1, args.length);
        switch (args[0]) {
            case "suite" -> {
                need(rest, 2, "suite RECORDS.tsv OUT.json");
                Files.writeString(Path.of(rest.get(1)), Json.write(Records.read(Path.of(rest.get(0))).toJson()));
            }
            case "jmh" -> {
                need(rest, 2, "jmh JMH.json OUT.json [title=...] [date=...] [commit=...] [machine=...] [settings=...]");
                Map<String, String> kv = new LinkedHashMap<>();
                for (String a : rest.subList(2, rest.size())) {
                    int eq = a.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("jmh: expected key=value, got '" + a + "'");
                    }
                    kv.put(a.substring(0, eq), a.substring(eq + 1));
                }
                SuiteResult s = new SuiteResult("jmh", kv.getOrDefault("title", "JMH micro-benchmarks of the hot paths"),
                        SuiteResult.Status.OK, null, kv.getOrDefault("date", now()), kv.get("commit"), kv.get("machine"),
                        kv.get("settings"), null, JmhImport.measurements(Files.readString(Path.of(rest.get(0)))));
                Files.writeString(Path.of(rest.get(1)), Json.write(s.toJson()));
            }
            case "merge" -> {
                need(rest, 2, "merge OUT.json FILE...");
                Files.writeString(Path.of(rest.get(0)), SuiteResult.runJson(load(rest.subList(1, rest.size()))));
            }
            case "report" -> {
                need(rest, 2, "report OUT.html FILE...");
                List<SuiteResult> suites = load(rest.subList(1, rest.size()));
                Files.writeString(Path.of(rest.get(0)), Html.render(suites, "Generated " + now() + " from "
                        + String.join(", ", rest.subList(1, rest.size()).stream().map(f -> Path.of(f).getFileName().toString()).toList())));
            }
            case "markdown" -> {
                need(rest, 1, "markdown FILE...");
                System.out.print(Markdown.render(load(rest)));
            }
            case "compare" -> {
                need(rest, 2, "compare OLD.json NEW.json");
                List<Compare.Verdict> v = Compare.compare(load(rest.subList(0, 1)), load(rest.subList(1, 2)));
                System.out.print(Compare.render(v));
                return v.stream().anyMatch(x -> x instanceof Compare.Regression) ? 1 : 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "' (suite, jmh, merge, report, markdown, compare)");
        }
        return 0;
    }

    private static void need(List<String> rest, int n, String usage) {
        if (rest.size() < n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static List<SuiteResult> load(List<String> files) throws IOException {
        List<SuiteResult> out = new ArrayList<>();
        for (String f : files) {
            out.addAll(SuiteResult.load(Path.of(f)));
        }
        return out;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
