package atoll.dns;

import atoll.dns.zone.Includes;
import atoll.libos.store.FileErrors;
import atoll.libos.store.ReadOnlyStore;
import atoll.libos.store.StoreKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code $INCLUDE} confined to the zone file's directory: a host zone includes files in its own
 * directory or below it (symbolic links resolved before the check, so none leads out); an embedded
 * zone includes keys beside its own key in the image's data, relative and without {@code ..}.
 */
final class ZoneIncludes {
    private ZoneIncludes() {}

    static Includes forSource(ZoneSource source, ReadOnlyStore data) {
        if (source.embedded()) {
            String key = source.embeddedKey();
            int slash = key.lastIndexOf('/');
            String dir = slash < 0 ? "" : key.substring(0, slash + 1);
            return name -> {
                String included = StoreKeys.check(dir + name); // refuses '..', absolute keys
                try {
                    return new Includes.Included(included, data.read(included));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + included + ": " + FileErrors.reason(e), e);
                }
            };
        }
        return name -> host(Path.of(source.path()).toAbsolutePath().getParent(), name);
    }

    private static Includes.Included host(Path dir, String name) {
        try {
            Path base = dir.toRealPath();
            Path file = base.resolve(name).normalize();
            if (!file.startsWith(base)) {
                throw new IllegalArgumentException("outside the zone's directory " + base);
            }
            Path real = file.toRealPath();
            if (!real.startsWith(base)) {
                throw new IllegalArgumentException("leads outside the zone's directory " + base);
            }
            return new Includes.Included(file.toString(), Files.readAllBytes(real));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("bad file name", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read it: " + FileErrors.reason(e), e);
        }
    }
}
