package atoll.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One appliance's {@code features.txt}: every feature of its CONFORMANCE.md, with an id the
 * suites tag their tests with ({@link Feature}) and what the summary shows for it. One line a
 * feature:
 *
 * <pre>
 * id | status | text
 * </pre>
 *
 * where {@code text} is the feature as CONFORMANCE.md words it (a table row's first cell, the bold
 * phrase a bullet starts with, or any words found verbatim in the file) and {@code status} one of
 * {@link Status}. Blank lines and lines starting with {@code #} are comments.
 */
public record FeatureMap(Appliance appliance, List<Entry> entries) {

    /** What the summary reports for a feature. */
    public enum Status {
        /** Checked here, against the built image: pass or fail from the tests tagged with it. */
        SUITE("suite"),
        /** Checked only by the appliance module's own unit and in-process tests. */
        MODULE("module"),
        /** Stated in CONFORMANCE.md, without an automated test. */
        UNTESTED("untested"),
        /** Not implemented: CONFORMANCE.md says so in bold. */
        UNSUPPORTED("unsupported");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Optional<Status> of(String word) {
            return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst();
        }
    }

    public record Entry(String id, Status status, String text, int line) {}

    /** Reads the appliance's map from the classpath; a malformed line is an error naming it. */
    public static FeatureMap load(Appliance appliance) throws IOException {
        String resource = appliance.featuresResource();
        try (InputStream in = FeatureMap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the test classpath");
            }
            return parse(appliance, resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static FeatureMap parse(Appliance appliance, String source, String text) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|", 3);
            int n = i + 1;
            if (parts.length != 3) {
                throw new IllegalArgumentException(source + ":" + n + ": want 'id | status | text', got: " + line);
            }
            String id = parts[0].strip();
            if (!id.matches("[a-z0-9][a-z0-9.-]*")) {
                throw new IllegalArgumentException(source + ":" + n + ": id '" + id + "': lower-case letters, digits, '.' and '-'");
            }
            Status status = Status.of(parts[1].strip()).orElseThrow(() -> new IllegalArgumentException(
                    source + ":" + n + ": status '" + parts[1].strip() + "': one of suite, module, untested, unsupported"));
            Entry e = new Entry(id, status, parts[2].strip(), n);
            if (byId.putIfAbsent(id, e) != null) {
                throw new IllegalArgumentException(source + ":" + n + ": id '" + id + "' already on line " + byId.get(id).line());
            }
        }
        return new FeatureMap(appliance, List.copyOf(byId.values()));
    }

    public Optional<Entry> get(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public List<Entry> withStatus(Status status) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.status() == status) {
                out.add(e);
            }
        }
        return out;
    }
}
