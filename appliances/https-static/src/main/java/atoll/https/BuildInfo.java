package atoll.https;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Facts the build writes into the module: the version and the build's fixed timestamp. */
final class BuildInfo {
    private BuildInfo() {}

    static String version() {
        String v = read("version.txt");
        return v == null ? "unknown" : v;
    }

    /**
     * The reproducible build's timestamp (project.build.outputTimestamp): Last-Modified of the
     * files baked into the image, so it stays the same across restarts and rebuilds of one commit.
     */
    static Instant builtAt() {
        String t = read("built-at.txt");
        try {
            return t == null ? Instant.EPOCH : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String read(String name) {
        try (InputStream in = BuildInfo.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
