package atoll.libos.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A {@link ReadOnlyStore} over resources bundled with the code (in the image's modules): the
 * resource for key {@code k} is {@code prefix + k}.
 *
 * <p>Resources cannot be enumerated portably, so {@link #list} reads an index: the resource
 * {@code prefix + "INDEX"}, one key per line (blank lines and lines starting with {@code #}
 * ignored). Without an index, {@code list} returns nothing (reads still work).
 *
 * <p>Encapsulation: in a named module, resources in a directory whose name is a valid package name
 * (such as {@code atoll/data/}) are hidden from other modules unless that package is opened. The
 * runtime therefore uses the prefix {@value #EMBEDDED_DATA_PREFIX}, which is not a package name
 * (it has a '-'), so the resources are readable by the runtime without any {@code opens}. A module
 * can also hand in an {@link Opener} of its own to read anything it can see.
 *
 * <p>Thread-safe.
 */
public final class ResourceStore implements ReadOnlyStore {
    /** Where an appliance's embedded read-only data lives in its module (a non-package name). */
    public static final String EMBEDDED_DATA_PREFIX = "atoll-data/";
    /** Name of the index resource under the prefix. */
    public static final String INDEX = "INDEX";

    /** Opens a resource by its full name, or returns null if there is none. */
    @FunctionalInterface
    public interface Opener {
        InputStream open(String resourceName) throws IOException;
    }

    private final String where;
    private final String prefix;
    private final Opener opener;
    private final List<String> index;

    private ResourceStore(String where, String prefix, Opener opener) {
        this.where = where;
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.opener = Objects.requireNonNull(opener, "opener");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("resource prefix must end in '/': " + prefix);
        }
        this.index = readIndex();
    }

    /** Resources of {@code module} under {@code prefix} (which ends in '/'). */
    public static ResourceStore ofModule(Module module, String prefix) {
        String where = module.isNamed() ? "module " + module.getName() : "class path";
        return new ResourceStore(where, prefix, module::getResourceAsStream);
    }

    /** Resources {@code loader} finds under {@code prefix} (which ends in '/'). */
    public static ResourceStore ofClassLoader(ClassLoader loader, String prefix) {
        return new ResourceStore("class path", prefix, loader::getResourceAsStream);
    }

    /**
     * Resources found by {@code opener} under {@code prefix}; {@code where} describes them in
     * messages ("module dns.server").
     */
    public static ResourceStore of(String where, String prefix, Opener opener) {
        return new ResourceStore(where, prefix, opener);
    }

    private List<String> readIndex() {
        try (InputStream in = opener.open(prefix + INDEX)) {
            if (in == null) {
                return List.of();
            }
            TreeSet<String> keys = new TreeSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String k = line.strip();
                if (!k.isEmpty() && !k.startsWith("#")) {
                    try {
                        keys.add(StoreKeys.check(k));
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalStateException(where + ": " + prefix + INDEX + ": " + bad.getMessage(), bad);
                    }
                }
            }
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + prefix + INDEX + " from " + where, e);
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        try (InputStream in = opener.open(prefix + StoreKeys.check(key))) {
            if (in == null) {
                throw new NoSuchFileException(describe(key));
            }
            return in.readAllBytes();
        }
    }

    @Override
    public boolean exists(String key) {
        try (InputStream in = opener.open(prefix + StoreKeys.check(key))) {
            return in != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<String> list(String prefix) {
        StoreKeys.checkPrefix(prefix);
        List<String> out = new ArrayList<>();
        for (String k : index) {
            if (k.startsWith(prefix)) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public String describe(String key) {
        return where + ":" + prefix + key;
    }

    @Override
    public String toString() {
        return "ResourceStore[" + where + ":" + prefix + "]";
    }
}
