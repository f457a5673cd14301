package atoll.perf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result files, the records the suites write, JMH import and the comparison rule. */
class ReportToolTest {
    @TempDir
    Path tmp;

    static Measurement m(String better, double... values) {
        return new Measurement("queries/s", "1/s", Measurement.Better.of(better), "dns-server", null, null,
                java.util.Arrays.stream(values).boxed().toList(), 0);
    }

    @Test
    void aRunFileSurvivesWritingAndReading() throws Exception {
        List<SuiteResult> suites = ReportRenderTest.sample();
        Path f = tmp.resolve("run.json");
        Files.writeString(f, SuiteResult.runJson(suites));
        assertEquals(suites, SuiteResult.load(f));
    }

    @Test
    void recordsBecomeASuiteResult() throws Exception {
        Path tsv = tmp.resolve("dns.tsv");
        Files.writeString(tsv, """
                meta\tsuite\tdns
                meta\ttitle\tDNS
                meta\tsubject\tdns-server
                m\tqueries/s\t1/s\thigher\tdns-server\t4\tdnsperf clients\t100 120 110
                m\tRSS idle\tMiB\tlower\tdns-server\t-\t-\t56.1
                """);
        Path out = tmp.resolve("dns.json");
        assertEquals(0, Main.run(new String[] {"suite", tsv.toString(), out.toString()}));
        SuiteResult s = SuiteResult.load(out).getFirst();
        assertEquals("dns-server", s.subject());
        assertEquals(List.of(100.0, 120.0, 110.0), s.measurements().getFirst().values());
        assertEquals(110.0, s.measurements().getFirst().median());
        assertEquals(4.0, s.measurements().getFirst().x());
        assertEquals(null, s.measurements().get(1).x());

        Files.writeString(tsv, "meta\tsuite\tdns\nm\tqueries/s\t1/s\tfaster\tdns-server\t-\t-\t1\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Records.read(tsv));
        assertTrue(bad.getMessage().contains("line 2") && bad.getMessage().contains("better"), bad.getMessage());
    }

    @Test
    void jmhResultsKeepEveryIterationAndTheAllocation() {
        String jmh = """
                [ { "benchmark" : "atoll.perf.FrameBenchmark.parse", "mode" : "avgt", "threads" : 1, "forks" : 1,
                    "params" : { "payload" : "64" },
                    "primaryMetric" : { "score" : 20.0, "scoreError" : NaN, "scoreUnit" : "ns/op",
                                        "rawData" : [ [ 19.0, 21.0 ] ] },
                    "secondaryMetrics" : { "gc.alloc.rate.norm" : { "score" : 0.001, "scoreUnit" : "B/op",
                                                                     "rawData" : [ [ 0.001, 0.001 ] ] } } } ]
                """;
        List<Measurement> ms = JmhImport.measurements(jmh);
        assertEquals(2, ms.size());
        assertEquals("FrameBenchmark.parse payload=64", ms.getFirst().server());
        assertEquals(List.of(19.0, 21.0), ms.getFirst().values());
        assertEquals("B/op", ms.get(1).unit());
        assertEquals(1.0, ms.get(1).resolution());
    }

    @Test
    void aDropBeyondTheSpreadIsARegressionAndOneWithinItIsNot() {
        // Old: 100 ± 2 %; new: 80, spread 2.5 %: 20 % worse, beyond the 5 % floor.
        assertInstanceOf(Compare.Regression.class, Compare.judge("k", m("higher", 99, 100, 101), m("higher", 79, 80, 81)));
        // The same drop with repetitions spread over 40 %: within noise.
        assertInstanceOf(Compare.Unchanged.class, Compare.judge("k", m("higher", 80, 100, 120), m("higher", 79, 80, 81)));
        // 3 % worse with tight repetitions: below the floor.
        assertInstanceOf(Compare.Unchanged.class, Compare.judge("k", m("higher", 100, 100), m("higher", 97, 97)));
        // Lower is better: a rise is a regression, a fall an improvement.
        assertInstanceOf(Compare.Regression.class, Compare.judge("k", m("lower", 10, 10), m("lower", 12, 12)));
        assertInstanceOf(Compare.Improvement.class, Compare.judge("k", m("lower", 10, 10), m("lower", 8, 8)));
        // Within the resolution: 0.004 -> 0.9 B/op is JMH's bookkeeping, not an allocation.
        Measurement a = new Measurement("allocation", "B/op", Measurement.Better.LOWER, "x", null, null, List.of(0.004), 1);
        Measurement b = new Measurement("allocation", "B/op", Measurement.Better.LOWER, "x", null, null, List.of(0.9), 1);
        assertInstanceOf(Compare.Unchanged.class, Compare.judge("k", a, b));
    }

    @Test
    void compareExitsOneOnARegression() throws Exception {
        Path old = tmp.resolve("old.json");
        Path same = tmp.resolve("same.json");
        Path worse = tmp.resolve("worse.json");
        List<SuiteResult> suites = ReportRenderTest.sample();
        Files.writeString(old, SuiteResult.runJson(suites));
        Files.writeString(same, SuiteResult.runJson(suites));
        SuiteResult jmh = suites.getLast();
        Measurement t = jmh.measurements().getFirst();
        Measurement slower = new Measurement(t.metric(), t.unit(), t.better(), t.server(), null, null,
                t.values().stream().map(v -> v * 1.5).toList(), 0);
        SuiteResult changed = new SuiteResult(jmh.suite(), jmh.title(), jmh.status(), jmh.reason(), jmh.date(), jmh.commit(),
                jmh.machine(), jmh.settings(), jmh.subject(), List.of(slower, jmh.measurements().get(1)));
        Files.writeString(worse, SuiteResult.runJson(List.of(suites.get(0), suites.get(1), suites.get(2), changed)));
        assertEquals(0, Main.run(new String[] {"compare", old.toString(), same.toString()}));
        assertEquals(1, Main.run(new String[] {"compare", old.toString(), worse.toString()}));
        List<Compare.Verdict> v = Compare.compare(SuiteResult.load(old), SuiteResult.load(worse));
        assertEquals(1, v.stream().filter(x -> x instanceof Compare.Regression).count());
        assertTrue(Compare.render(v).startsWith("REGRESSION jmh | time per operation | QueryEngineBenchmark.positive"),
                Compare.render(v));
    }

    @Test
    void aMalformedFileIsOneClearError() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"schema\": \"atoll-perf-suite/1\", \"suite\": \"dns\", \"status\": \"ok\", \"measurements\": [ {");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuiteResult.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("JSON"), e.getMessage());
    }
}
