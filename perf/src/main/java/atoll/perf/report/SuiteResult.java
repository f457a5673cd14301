package atoll.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One suite's result file (schema {@value #SCHEMA}): what ran, where, and every measurement. A run
 * of several suites is one file of schema {@value #RUN_SCHEMA} holding them in {@code suites}.
 *
 * @param suite        short name: {@code dns}, {@code https}, {@code ssh}, {@code tap}, {@code vpn}, {@code jmh}
 * @param title        one line saying what is compared with what
 * @param status       {@link Status#OK}, or why there are no numbers
 * @param reason       for a status other than OK, the reason in one sentence; else null
 * @param date         ISO-8601 UTC time the suite started
 * @param commit       the Atoll commit measured
 * @param machine      CPUs, model, kernel, load average at the start
 * @param settings     pinning, durations, repetitions, tool versions: enough to reproduce
 * @param subject      the appliance's server name in the measurements, against which ratios are shown; may be null
 * @param measurements the numbers
 */
public record SuiteResult(String suite, String title, Status status, String reason, String date, String commit,
        String machine, String settings, String subject, List<Measurement> measurements) {

    public static final String SCHEMA = "atoll-perf-suite/1";
    public static final String RUN_SCHEMA = "atoll-perf-run/1";

    /** Whether a suite produced numbers. */
    public enum Status {
        /** Measured. */
        OK,
        /** Nothing to measure yet on this commit or this machine (the reason says which). */
        NOT_AVAILABLE,
        /** It should have run and did not (the reason says where it stopped). */
        FAILED;

        static Status of(String s) {
            return switch (s) {
                case "ok" -> OK;
                case "not-available" -> NOT_AVAILABLE;
                case "failed" -> FAILED;
                default -> throw new IllegalArgumentException("status: '" + s + "' (ok, not-available, failed)");
            };
        }

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public SuiteResult {
        measurements = List.copyOf(measurements);
    }

    /** The servers in the order they first appear. */
    public List<String> servers() {
        List<String> s = new ArrayList<>();
        for (Measurement m : measurements) {
            if (!s.contains(m.server())) {
                s.add(m.server());
            }
        }
        return s;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("suite", suite);
        m.put("title", title);
        m.put("status", status.word());
        if (reason != null) {
            m.put("reason", reason);
        }
        m.put("date", date);
        m.put("commit", commit);
        m.put("machine", machine);
        m.put("settings", settings);
        if (subject != null) {
            m.put("subject", subject);
        }
        m.put("measurements", measurements.stream().map(Measurement::toJson).toList());
        return m;
    }

    static SuiteResult fromJson(Map<?, ?> m) {
        if (!SCHEMA.equals(m.get("schema"))) {
            throw new IllegalArgumentException("not a suite result (schema " + m.get("schema") + ", expected " + SCHEMA + ")");
        }
        List<Measurement> ms = new ArrayList<>();
        if (m.get("measurements") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> mm)) {
                    throw new IllegalArgumentException("a measurement is not an object: " + o);
                }
                ms.add(Measurement.fromJson(mm));
            }
        }
        String suite = Measurement.str(m, "suite");
        if (suite == null) {
            throw new IllegalArgumentException("suite result without 'suite'");
        }
        return new SuiteResult(suite, Measurement.str(m, "title"), Status.of(String.valueOf(m.get("status"))),
                Measurement.str(m, "reason"), Measurement.str(m, "date"), Measurement.str(m, "commit"),
                Measurement.str(m, "machine"), Measurement.str(m, "settings"), Measurement.str(m, "subject"), ms);
    }

    /** Reads a suite file or a run file; either gives a list of suites. */
    public static List<SuiteResult> load(Path file) throws IOException {
        Object v;
        try {
            v = Json.parse(Files.readString(file));
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(file + ": " + bad.getMessage(), bad);
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": not a JSON object");
        }
        try {
            if (RUN_SCHEMA.equals(m.get("schema"))) {
                List<SuiteResult> out = new ArrayList<>();
                if (m.get("suites") instanceof List<?> l) {
                    for (Object o : l) {
                        out.add(fromJson((Map<?, ?>) o));
                    }
                }
                return out;
            }
            return List.of(fromJson(m));
        } catch (IllegalArgumentException | ClassCastException bad) {
            throw new IllegalArgumentException(file + ": " + bad.getMessage(), bad);
        }
    }

    /** One run file holding the given suites. */
    public static String runJson(List<SuiteResult> suites) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", RUN_SCHEMA);
        m.put("suites", suites.stream().map(SuiteResult::toJson).toList());
        return Json.write(m);
    }
}
