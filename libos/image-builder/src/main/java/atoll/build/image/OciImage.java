package atoll.build.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * The image as an OCI image (OCI image-spec v1.1): an image layout directory ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/}) and the same layout as one tar, which container engines
 * load directly ({@code podman load -i}, or the {@code oci-archive:} transport).
 *
 * <p>Two layers, no base image:
 * <ol>
 *   <li>the system libraries the runtime's native code is linked against ({@link SystemLibraries}:
 *       glibc's {@code libc}, {@code libm}, {@code libdl}, {@code libpthread}, {@code librt} and the
 *       dynamic loader), at the paths the loader looks at, and an empty {@code /tmp} (mode 1777,
 *       where the JVM keeps its performance data file);
 *   <li>the appliance under {@code /opt/<name>}: {@code runtime/}, {@code app/}, {@code conf/}, and an
 *       empty {@code state/} owned by the image's user for the default {@code state.dir}.
 * </ol>
 * No shell, no package manager, no other file of the host. The launcher script ({@code bin/}) is
 * left out since nothing could run it; the config's {@code Entrypoint} runs {@code runtime/bin/java}
 * with the launcher's options ({@link Launcher#containerEntrypoint}). The process runs as
 * {@value #USER} (not root).
 *
 * <p>Reproducible: every tar header carries the build timestamp and numeric owners, entries are
 * sorted, gzip headers are fixed (Java's {@link GZIPOutputStream}: MTIME 0, no name) and the JSON
 * documents are written canonically ({@link Json}); the config's {@code created} is the build
 * timestamp. Two builds from the same inputs give the same manifest digest.
 */
public final class OciImage {
    private OciImage() {}

    /** The user the container runs as: not root, and no name needed in an image without /etc/passwd. */
    public static final String USER = "65532:65532";
    static final int UID = 65532, GID = 65532;
    /** The image-spec's media types (image-spec v1.1: manifest.md, config.md, layer.md, image-index.md). */
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json",
            MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json",
            CONFIG_TYPE = "application/vnd.oci.image.config.v1+json",
            LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** The image-spec's pre-defined annotation keys (annotations.md). */
    static final String REF_NAME = "org.opencontainers.image.ref.name", CREATED = "org.opencontainers.image.created",
            TITLE = "org.opencontainers.image.title", VERSION = "org.opencontainers.image.version";

    private static final int DIR = 0755, FILE = 0644, EXEC = 0755, STICKY_TMP = 01777, STATE = 0700;

    /** One layer: its compressed digest and size, its uncompressed digest (the config's diff_id). */
    public record Layer(String description, String digest, long size, String diffId) {}

    /** What was written. {@code size} is the layout's tar; {@code blobs} the sum of its blobs. */
    public record Result(String manifestDigest, String configDigest, long archiveSize, long blobsSize,
                         List<Layer> layers, Map<String, Path> systemLibraries) {}

    /** The image's directory inside the container. */
    public static String home(ImageSpec spec) {
        return "/opt/" + spec.name();
    }

    /**
     * Writes the layout to {@code spec.ociLayout()} and its tar to {@code spec.ociArchive()}, from
     * the finished image directory {@code image}.
     */
    static Result write(ImageSpec spec, Path image) throws IOException {
        Path layout = spec.ociLayout().toAbsolutePath().normalize();
        ImageBuilder.clean(layout);
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        long mtime = spec.timestamp().getEpochSecond();

        Map<String, Path> libs = SystemLibraries.closure(image.resolve("runtime"));
        List<Layer> layers = new ArrayList<>();
        layers.add(layer(blobs, mtime, "system libraries for the Java runtime (glibc " + SystemLibraries.glibcVersion() + ")",
                tar -> systemLayer(tar, libs)));
        layers.add(layer(blobs, mtime, spec.name() + " " + spec.version() + ": Java runtime and appliance",
                tar -> applianceLayer(tar, spec, image)));

        String created = spec.timestamp().toString();
        byte[] config = utf8(Json.write(config(spec, layers, created)));
        String configDigest = blob(blobs, config);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.put("config", descriptor(CONFIG_TYPE, configDigest, config.length));
        List<Object> layerDescriptors = new ArrayList<>();
        for (Layer l : layers) layerDescriptors.add(descriptor(LAYER_TYPE, l.digest(), l.size()));
        manifest.put("layers", layerDescriptors);
        manifest.put("annotations", annotations(spec, created));
        byte[] manifestBytes = utf8(Json.write(manifest));
        String manifestDigest = blob(blobs, manifestBytes);

        Map<String, Object> entry = descriptor(MANIFEST_TYPE, manifestDigest, manifestBytes.length);
        // image-layout.md: ref.name names the manifest; podman load takes it as the image's name.
        entry.put("annotations", Map.of(REF_NAME, reference(spec)));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        index.put("manifests", List.of(entry));
        Files.write(layout.resolve("index.json"), utf8(Json.write(index)));
        // image-layout.md: "The imageLayoutVersion value will align with the OCI Image Specification
        // version at the time changes to the layout are made" — 1.0.0 is current.
        Files.write(layout.resolve("oci-layout"), utf8("{\"imageLayoutVersion\":\"1.0.0\"}"));

        long blobsSize = 0;
        for (Path p : ImageBuilder.walk(blobs)) if (Files.isRegularFile(p)) blobsSize += Files.size(p);
        Path archive = spec.ociArchive().toAbsolutePath().normalize();
        writeLayoutTar(layout, mtime, archive);
        return new Result(manifestDigest, configDigest, Files.size(archive), blobsSize, List.copyOf(layers), libs);
    }

    /** {@code localhost/<name>:<version>}: a full reference, so engines do not guess a registry. */
    public static String reference(ImageSpec spec) {
        return "localhost/" + spec.name() + ":" + spec.version();
    }

    private static Map<String, Object> config(ImageSpec spec, List<Layer> layers, String created) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("User", USER);
        Map<String, Object> ports = new TreeMap<>();
        for (String p : spec.exposedPorts()) ports.put(p, Map.of());
        if (!ports.isEmpty()) run.put("ExposedPorts", ports);
        run.put("Entrypoint", Launcher.containerEntrypoint(spec, home(spec)));
        run.put("WorkingDir", home(spec));
        // Launcher: TERM and INT stop in order; TERM is what engines send by default, named for clarity.
        run.put("StopSignal", "SIGTERM");
        run.put("Labels", annotations(spec, created));

        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        List<Object> diffIds = new ArrayList<>();
        List<Object> history = new ArrayList<>();
        for (Layer l : layers) {
            diffIds.add(l.diffId());
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("created", created);
            h.put("created_by", "atoll image builder: " + l.description());
            history.add(h);
        }
        rootfs.put("diff_ids", diffIds);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", created);
        config.put("architecture", architecture());
        config.put("os", "linux");
        config.put("config", run);
        config.put("rootfs", rootfs);
        config.put("history", history);
        return config;
    }

    private static Map<String, Object> annotations(ImageSpec spec, String created) {
        Map<String, Object> a = new TreeMap<>();
        a.put(CREATED, created);
        a.put(TITLE, spec.name());
        a.put(VERSION, spec.version());
        return a;
    }

    /** image-spec config.md: architecture uses Go's GOARCH values. */
    static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch.toLowerCase(Locale.ROOT);
        };
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    @FunctionalInterface
    private interface Contents {
        void writeTo(TarWriter tar) throws IOException;
    }

    /** Streams one layer: tar → digest (diff_id) → gzip → digest → blob file. */
    private static Layer layer(Path blobs, long mtime, String description, Contents contents) throws IOException {
        Path tmp = blobs.resolve("layer.tmp");
        MessageDigest diff = ImageBuilder.sha256(), compressed = ImageBuilder.sha256();
        try (OutputStream file = Files.newOutputStream(tmp);
             DigestOutputStream c = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), compressed);
             GZIPOutputStream gz = new GZIPOutputStream(c, 1 << 16);
             DigestOutputStream u = new DigestOutputStream(gz, diff)) {
            TarWriter tar = new TarWriter(u, mtime);
            contents.writeTo(tar);
            tar.finish();
        }
        String digest = "sha256:" + ImageBuilder.hex(compressed.digest());
        long size = Files.size(tmp);
        Files.move(tmp, blobs.resolve(digest.substring("sha256:".length())), StandardCopyOption.REPLACE_EXISTING);
        return new Layer(description, digest, size, "sha256:" + ImageBuilder.hex(diff.digest()));
    }

    private static void systemLayer(TarWriter tar, Map<String, Path> libs) throws IOException {
        TreeSet<String> dirs = new TreeSet<>();
        for (String path : libs.keySet()) {
            for (String d = parent(path); d != null; d = parent(d)) dirs.add(d);
        }
        // Sorted as one list, so every directory comes before what it holds.
        TreeMap<String, Path> entries = new TreeMap<>();
        for (String d : dirs) entries.put(d + "/", null);
        entries.put("tmp/", null);
        for (Map.Entry<String, Path> e : libs.entrySet()) entries.put(e.getKey().substring(1), e.getValue());
        for (Map.Entry<String, Path> e : entries.entrySet()) {
            String name = e.getKey();
            if (e.getValue() == null) {
                tar.directory(name, name.equals("tmp/") ? STICKY_TMP : DIR);
            } else {
                Path host = e.getValue();
                tar.file(name, EXEC, Files.size(host), o -> Files.copy(host, o));
            }
        }
    }

    /** "lib/x86_64-linux-gnu" for "/lib/x86_64-linux-gnu/libc.so.6"; null at the top. */
    private static String parent(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? null : p.substring(0, slash);
    }

    private static void applianceLayer(TarWriter tar, ImageSpec spec, Path image) throws IOException {
        String home = home(spec).substring(1) + "/";
        tar.directory("opt/", DIR);
        tar.directory(home, DIR);
        TreeMap<String, Path> entries = new TreeMap<>();
        for (String part : List.of("app", "conf", "runtime")) {
            Path root = image.resolve(part);
            entries.put(part + "/", root);
            for (Path p : ImageBuilder.walk(root)) entries.put(part + "/" + ImageBuilder.relative(root, p), p);
        }
        entries.put("state/", null);
        for (Map.Entry<String, Path> e : entries.entrySet()) {
            String name = home + e.getKey();
            Path p = e.getValue();
            if (p == null) {
                tar.directory(name, STATE, UID, GID);
            } else if (Files.isSymbolicLink(p)) {
                tar.symlink(name, Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                tar.directory(name, DIR);
            } else {
                tar.file(name, Files.isExecutable(p) ? EXEC : FILE, Files.size(p), o -> Files.copy(p, o));
            }
        }
    }

    private static String blob(Path blobs, byte[] content) throws IOException {
        String hex = ImageBuilder.hex(ImageBuilder.sha256().digest(content));
        Files.write(blobs.resolve(hex), content);
        return "sha256:" + hex;
    }

    /** The layout as a tar without a top directory (what the oci-archive transport reads). */
    private static void writeLayoutTar(Path layout, long mtime, Path archive) throws IOException {
        Files.createDirectories(archive.getParent());
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            TarWriter tar = new TarWriter(file, mtime);
            for (Path p : ImageBuilder.walk(layout)) {
                String name = ImageBuilder.relative(layout, p);
                if (Files.isDirectory(p)) tar.directory(name, DIR);
                else tar.file(name, FILE, Files.size(p), o -> Files.copy(p, o));
            }
            tar.finish();
        }
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
