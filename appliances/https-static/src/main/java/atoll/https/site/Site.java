package atoll.https.site;

import atoll.libos.store.ReadOnlyStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * The site's files, loaded into memory at start-up from a store (the image's embedded site, or a
 * directory given at run time), with entity tags computed once and precompressed variants found
 * ({@code name.br}, {@code name.gz} next to {@code name}) or, for text types without a
 * {@code .gz}, made once with gzip. Immutable; thread-safe.
 */
public final class Site {
    private final Map<String, Resource> files;
    private final Set<String> directories;

    private Site(Map<String, Resource> files, Set<String> directories) {
        this.files = Map.copyOf(files);
        this.directories = Set.copyOf(directories);
    }

    /**
     * Loads every key under {@code prefix} of {@code store}.
     *
     * @param modified the Last-Modified time of a key (the image's build time for embedded data)
     */
    public static Site load(ReadOnlyStore store, String prefix, Function<String, Instant> modified)
            throws IOException {
        List<String> keys = store.list(prefix);
        Map<String, byte[]> raw = new HashMap<>();
        for (String k : keys) {
            raw.put(k.substring(prefix.length()), store.read(k));
        }
        Map<String, Resource> files = new HashMap<>();
        Set<String> dirs = new HashSet<>();
        dirs.add("");
        for (var e : raw.entrySet()) {
            String key = e.getKey();
            byte[] body = e.getValue();
            for (int i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
                dirs.add(key.substring(0, i));
            }
            String type = MimeTypes.of(key);
            String tag = tag(body);
            Map<String, Resource.Variant> variants = new HashMap<>();
            byte[] br = raw.get(key + ".br");
            if (br != null) {
                variants.put("br", new Resource.Variant("br", br, quoted(tag + "-br")));
            }
            byte[] gz = raw.get(key + ".gz");
            if (gz == null && MimeTypes.compressible(type)) {
                gz = gzip(body);
                if (gz.length >= body.length) {
                    gz = null;
                }
            }
            if (gz != null) {
                variants.put("gzip", new Resource.Variant("gzip", gz, quoted(tag + "-gz")));
            }
            Instant mtime = modified.apply(prefix + key).truncatedTo(ChronoUnit.SECONDS);
            files.put(key, new Resource(key, body, type, quoted(tag), mtime, variants));
        }
        return new Site(files, dirs);
    }

    /** The file under {@code key}, if any. */
    public Optional<Resource> file(String key) {
        return Optional.ofNullable(files.get(key));
    }

    /** Whether {@code key} is a directory (a prefix of some file's key; "" is the root). */
    public boolean isDirectory(String key) {
        return directories.contains(key);
    }

    public int fileCount() {
        return files.size();
    }

    public long totalBytes() {
        long n = 0;
        for (Resource r : files.values()) {
            n += r.body().length;
        }
        return n;
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    /** 128 bits of SHA-256 of the content: a strong validator that changes when any byte does. */
    private static String tag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is in every JDK", e);
        }
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
        // GZIPOutputStream writes MTIME 0 (RFC 1952 §2.3.1: "no time stamp"), so the bytes are reproducible.
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(body);
        }
        return out.toByteArray();
    }
}
