package atoll.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line format the suite scripts write (perf/lib/common.sh), so that no shell script has to
 * quote JSON. Tab-separated, one record per line:
 *
 * <pre>
 *   meta  KEY  VALUE                                       suite, title, status, reason, date, commit,
 *                                                          machine, settings, subject (last one wins)
 *   m     METRIC  UNIT  BETTER  SERVER  X  XNAME  VALUES   X and XNAME "-" for a scalar;
 *                                                          VALUES space-separated, one per repetition
 * </pre>
 */
final class Records {
    private Records() {}

    static SuiteResult read(Path file) throws IOException {
        Map<String, String> meta = new HashMap<>();
        List<Measurement> ms = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case "meta" -> meta.put(f[1], f.length > 2 ? f[2] : "");
                    case "m" -> {
                        if (f.length != 8) {
                            throw new IllegalArgumentException("a measurement record has 8 fields, this one " + f.length);
                        }
                        List<Double> values = new ArrayList<>();
                        for (String v : f[7].trim().split(" +")) {
                            values.add(Double.valueOf(v));
                        }
                        boolean scalar = f[5].equals("-");
                        ms.add(new Measurement(f[1], f[2], Measurement.Better.of(f[3]), f[4],
                                scalar ? null : Double.valueOf(f[5]), scalar ? null : f[6], values, 0));
                    }
                    default -> throw new IllegalArgumentException("unknown record '" + f[0] + "'");
                }
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException(file + " line " + n + ": " + bad.getMessage() + ": " + line, bad);
            }
        }
        String suite = meta.get("suite");
        if (suite == null) {
            throw new IllegalArgumentException(file + ": no 'meta suite' record");
        }
        return new SuiteResult(suite, meta.getOrDefault("title", suite),
                SuiteResult.Status.of(meta.getOrDefault("status", "ok")), meta.get("reason"), meta.get("date"),
                meta.get("commit"), meta.get("machine"), meta.get("settings"), meta.get("subject"), ms);
    }
}
