package atoll.dns;

import atoll.dns.wire.Name;
import atoll.libos.config.ValueType;
import atoll.libos.store.StoreKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One entry of the {@code zones} key: the zone's origin and where its master file is. A path
 * starting with {@code embedded:} names a file baked into the image's read-only data; any other
 * path is a file on the host.
 */
record ZoneSource(Name origin, String path) {
    static final String EMBEDDED = "embedded:";

    boolean embedded() {
        return path.startsWith(EMBEDDED);
    }

    String embeddedKey() {
        return path.substring(EMBEDDED.length());
    }

    @Override
    public String toString() {
        return origin + "=" + path;
    }

    /** The {@code zones} value type: comma-separated {@code origin=path} entries. */
    static final ValueType<List<ZoneSource>> LIST = new ValueType<>() {
        @Override
        public List<ZoneSource> parse(String raw) {
            List<ZoneSource> out = new ArrayList<>();
            for (String item : raw.split(",")) {
                String entry = item.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException(entry);
                }
                String origin = entry.substring(0, eq).strip();
                String path = entry.substring(eq + 1).strip();
                if (path.startsWith(EMBEDDED)) {
                    // A relative key without '..': the image's data, never a way out of it.
                    StoreKeys.check(path.substring(EMBEDDED.length()));
                } else {
                    Path.of(path); // InvalidPathException is an IllegalArgumentException
                }
                out.add(new ZoneSource(Name.parse(origin), path));
            }
            // Empty is allowed here: a server may serve secondary zones only (DnsServer checks that
            // it serves something).
            long distinct = out.stream().map(ZoneSource::origin).distinct().count();
            if (distinct != out.size()) {
                throw new IllegalArgumentException("duplicate origin");
            }
            return List.copyOf(out);
        }

        @Override
        public String format(List<ZoneSource> value) {
            return value.stream().map(ZoneSource::toString).collect(Collectors.joining(","));
        }

        @Override
        public String accepted() {
            return "a comma-separated list of origin=path entries, one per zone, each origin once"
                    + " (e.g. example.org.=/etc/atoll/example.org.zone; embedded:<key> reads the image's data,"
                    + " the key relative with no '..' segment)";
        }

        @Override
        public String name() {
            return "zone list";
        }
    };
}
