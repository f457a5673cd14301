package atoll.dns.zone;

import atoll.dns.wire.Name;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads test zones from the classpath and parses inline ones. */
final class ZoneTestSupport {
    private ZoneTestSupport() {}

    static Name n(String s) {
        return Name.parse(s);
    }

    static String resource(String file) {
        try (InputStream in = ZoneTestSupport.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Zone load(String file, String origin) throws ZoneFileException {
        return ZoneFileParser.parse(resource(file), file, n(origin));
    }

    static Zone inline(String text) throws ZoneFileException {
        return ZoneFileParser.parse(text, "t.zone", n("example.com."));
    }
}
