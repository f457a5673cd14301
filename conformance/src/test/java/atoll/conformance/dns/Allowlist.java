package atoll.conformance.dns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The differences between dns-server and a reference server that are deliberate, each with its
 * reason (mirrored in appliances/dns-server/CONFORMANCE.md). One entry a line:
 * {@code peer | aspect | query pattern | reason} (fields separated by a bar with a space either
 * side, so a pattern may use {@code |} without spaces), where peer is {@code nsd}, {@code knot} or
 * {@code *}, aspect is one of {@link Observed}'s keys and the pattern is a regular expression
 * found in the query's {@link Probe#label()}. Blank lines and lines starting with {@code #} are
 * comments.
 */
record Allowlist(List<Entry> entries) {

    record Entry(int line, String peer, String aspect, Pattern query, String reason) {
        boolean covers(String peerName, String differingAspect, String label) {
            return (peer.equals("*") || peer.equals(peerName)) && aspect.equals(differingAspect) && query.matcher(label).find();
        }

        @Override
        public String toString() {
            return "allowlist line " + line + ": " + peer + " | " + aspect + " | " + query + " | " + reason;
        }
    }

    static Allowlist load(String resource) throws IOException {
        try (InputStream in = Allowlist.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no resource " + resource);
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Parses allowlist text; an error names {@code source} and the line. */
    static Allowlist parse(String source, String text) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(" \\| ", 4);
            if (f.length != 4 || f[3].isBlank()) {
                throw new IOException(source + ":" + (i + 1) + ": want 'peer | aspect | query pattern | reason'");
            }
            try {
                entries.add(new Entry(i + 1, f[0].strip(), f[1].strip(), Pattern.compile(f[2].strip()), f[3].strip()));
            } catch (PatternSyntaxException e) {
                throw new IOException(source + ":" + (i + 1) + ": bad query pattern: " + e.getMessage(), e);
            }
        }
        return new Allowlist(entries);
    }

    /** The first entry that makes this difference deliberate, or null. */
    Entry covering(String peer, String aspect, String label) {
        for (Entry e : entries) {
            if (e.covers(peer, aspect, label)) return e;
        }
        return null;
    }
}
