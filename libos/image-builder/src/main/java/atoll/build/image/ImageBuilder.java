package atoll.build.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds an appliance image (DESIGN §7) and its reproducible archive.
 *
 * <pre>
 * &lt;output&gt;/runtime/        jlinked Java runtime: only the JDK modules the appliance requires
 * &lt;output&gt;/app/            the appliance's modular jars (swap one to fork the appliance)
 * &lt;output&gt;/conf/           default configuration (&lt;name&gt;.conf) and any data beside it
 * &lt;output&gt;/bin/&lt;name&gt;       POSIX sh launcher
 * &lt;output&gt;/manifest.json   name, version, target, JDK, modules, size and SHA-256 of every file
 * </pre>
 *
 * The archive {@code <name>-<version>.tar.gz} holds the image under {@code <name>-<version>/},
 * entries sorted by path, every mtime the build timestamp, owner 0:0 and no user names; its
 * SHA-256 goes to a sibling {@code .sha256} file in {@code sha256sum} format.
 */
public final class ImageBuilder {

    /** The parts of an image, in manifest order. */
    static final List<String> PARTS = List.of("runtime", "app", "bin", "conf");

    private static final int DIR_MODE = 0755, EXEC_MODE = 0755, FILE_MODE = 0644;

    private ImageBuilder() {}

    /** One file of the image, as the manifest and archive list it. */
    public record Entry(String path, long size, String sha256, String link) {}

    /** What a build produced. */
    public record Result(ImageSpec spec, JdkModules.Resolution modules, String jdkVersion, List<Entry> entries,
                         long archiveSize, String archiveSha256, long cacheSize, long debugArchiveSize, OciImage.Result oci) {

        /** Total bytes of the regular files of one part (or all when {@code part} is null). */
        public long size(String part) {
            long total = 0;
            for (Entry e : entries) if (part == null || e.path().startsWith(part + "/")) total += e.size();
            return total;
        }

        /** The one-line summary printed at the end of a build. */
        public String summary() {
            long cds = 0;
            for (Entry e : entries) if (e.path().endsWith(".jsa")) cds += e.size();
            return String.format(Locale.ROOT, "[image] %s %s: %s on disk (runtime %s of which CDS archive %s, app %s, bin %s,"
                            + " conf %s, %d JDK modules), archive %s, sha256 %s; AOT cache %s (not in the archive);"
                            + " native symbols %s%s",
                    spec.name(), spec.version(), mib(size(null)), mib(size("runtime")), mib(cds), mib(size("app")),
                    mib(size("bin")), mib(size("conf")), modules.jdkModules().size(), mib(archiveSize), archiveSha256,
                    cacheSize < 0 ? "none" : mib(cacheSize),
                    debugArchiveSize < 0 ? "kept (no objcopy)" : "in the -dbgsym archive, " + mib(debugArchiveSize),
                    oci == null ? "" : String.format(Locale.ROOT, "; OCI image %s, %s (layers %s), config %s",
                            oci.manifestDigest(), mib(oci.archiveSize()), layerSizes(oci), oci.configDigest()));
        }

        private static String layerSizes(OciImage.Result oci) {
            StringBuilder b = new StringBuilder();
            for (OciImage.Layer l : oci.layers()) b.append(b.isEmpty() ? "" : " + ").append(mib(l.size()));
            return b.toString();
        }
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ImageSpec.USAGE);
            return;
        }
        ImageSpec spec;
        try {
            spec = ImageSpec.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("image-builder: " + e.getMessage());
            System.err.println(ImageSpec.USAGE);
            System.exit(64); // sysexits.h EX_USAGE
            return;
        }
        try {
            Result result = build(spec);
            System.out.println(result.summary());
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("image-builder: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Modules that make system calls through the FFM API (libos/linux): the launcher grants native
     * access to these, when the image holds them, and to no other module.
     */
    static final List<String> NATIVE_ACCESS_MODULES = List.of("atoll.linux");

    /** Builds the image directory and the archive. */
    public static Result build(ImageSpec spec) throws IOException {
        JdkModules.Resolution modules = JdkModules.resolve(spec.modulePath(), spec.mainModule(), spec.addJdkModules());
        for (String m : NATIVE_ACCESS_MODULES) {
            if (modules.appModules().contains(m)) spec = spec.withJavaOption("--enable-native-access=" + m);
        }
        Path conf = spec.confDir().resolve(spec.name() + ".conf");
        if (!Files.isRegularFile(conf)) throw new IllegalArgumentException("no default configuration " + conf);

        Path out = spec.output().toAbsolutePath().normalize();
        clean(out);
        Files.createDirectories(out);

        jlink(modules.jdkModules(), out.resolve("runtime"), spec.cds());
        Path archive = spec.archive().toAbsolutePath().normalize();
        if (archive.startsWith(out)) throw new IllegalArgumentException("the archive may not be inside the image: " + archive);
        Path debugArchive = debugArchive(archive);
        Path debugTree = Files.createTempDirectory("atoll-dbgsym");
        boolean stripped;
        try {
            stripped = NativeSymbols.available();
            if (stripped) {
                NativeSymbols.strip(out, out.resolve("runtime"), debugTree);
                stamp(debugTree, FileTime.from(spec.timestamp()));
                writeArchive(debugTree, spec.topDirectory() + "-dbgsym", spec.timestamp().getEpochSecond(), debugArchive);
            } else {
                Files.deleteIfExists(debugArchive);
            }
        } finally {
            clean(debugTree);
        }
        copyJars(spec.modulePath(), out.resolve("app"));
        copyTree(spec.confDir(), out.resolve("conf"));
        Path launcher = out.resolve("bin").resolve(spec.name());
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, Launcher.script(spec), StandardCharsets.UTF_8);
        setMode(launcher, EXEC_MODE);
        // An empty cache/ goes into the archive, so that an unpacked image can make its AOT cache
        // at its first start (the launcher does); the build's own cache is made after the archive.
        if (spec.aotCache()) Files.createDirectories(out.resolve(Training.CACHE_DIR));

        List<Entry> entries = scan(out);
        // The OCI image holds runtime/, app/ and conf/ but not manifest.json, so the manifest can name its digest.
        OciImage.Result oci = spec.ociLayout() == null ? null : OciImage.write(spec, out);
        String jdkVersion = Runtime.version().toString();
        Files.writeString(out.resolve("manifest.json"), Manifest.json(spec, modules, jdkVersion, entries, oci), StandardCharsets.UTF_8);
        stamp(out, FileTime.from(spec.timestamp()));

        writeArchive(out, spec, archive);
        String sha = hex(sha256(archive));
        Files.writeString(archive.resolveSibling(archive.getFileName() + ".sha256"), sha + "  " + archive.getFileName() + "\n",
                StandardCharsets.US_ASCII);
        long cacheSize = spec.aotCache() ? Training.run(spec, out) : -1;
        return new Result(spec, modules, jdkVersion, entries, Files.size(archive), sha, cacheSize,
                stripped ? Files.size(debugArchive) : -1, oci);
    }

    /** Removes a previous image; refuses anything that looks like a source tree. */
    static void clean(Path out) throws IOException {
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) throw new IllegalArgumentException("--output is not a directory: " + out);
        if (out.getParent() == null || Files.exists(out.resolve("pom.xml")) || Files.exists(out.resolve(".git"))
                || Files.exists(out.resolve("src"))) {
            throw new IllegalArgumentException("refusing to replace " + out + ": it does not look like an image directory");
        }
        Files.walkFileTree(out, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The jlink options; see {@code jlink --help} of JDK 25. */
    static List<String> jlinkCommand(Path jlink, List<String> jdkModules, Path runtime, boolean cds) {
        List<String> cmd = new ArrayList<>(List.of(jlink.toString(),
                "--add-modules", String.join(",", jdkModules),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6"));
        // The default CDS archive roughly halves start-up; it is generated deterministically (checked by .ci/reproducible).
        if (cds) cmd.add("--generate-cds-archive");
        cmd.addAll(List.of("--output", runtime.toString()));
        return cmd;
    }

    private static void jlink(List<String> jdkModules, Path runtime, boolean cds) throws IOException {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) throw new IllegalStateException("no jlink at " + jlink + ": run the builder with a full JDK");
        ProcessBuilder pb = new ProcessBuilder(jlinkCommand(jlink, jdkModules, runtime, cds)).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String log;
        try (InputStream in = p.getInputStream()) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running jlink", e);
        }
        // jlink's CDS step warns about classes of modules left out on purpose (e.g. java.logging);
        // that chatter is shown only when jlink fails.
        if (status != 0) throw new IOException("jlink failed (exit " + status + "): " + String.join(" ", pb.command()) + "\n" + log);
        // The JVM maps classes_nocoops.jsa only when compressed oops are off (a heap of 32 GiB or
        // more); an appliance never runs that big, and the file would add ~14 MiB to every image.
        // Without it such a JVM simply starts without CDS (-Xshare:auto).
        Files.deleteIfExists(runtime.resolve("lib/server/classes_nocoops.jsa"));
    }

    private static void copyJars(List<Path> modulePath, Path app) throws IOException {
        Files.createDirectories(app);
        for (Path entry : modulePath) {
            List<Path> jars;
            if (Files.isDirectory(entry)) {
                try (Stream<Path> s = Files.list(entry)) {
                    jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
                }
            } else if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
                jars = List.of(entry);
            } else {
                throw new IllegalArgumentException("--module-path entry is neither a directory nor a jar: " + entry);
            }
            for (Path jar : jars) {
                Path to = app.resolve(jar.getFileName().toString());
                if (Files.exists(to)) throw new IllegalArgumentException("two jars named " + jar.getFileName() + " on the module path");
                Files.copy(jar, to);
                setMode(to, FILE_MODE);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) throw new IllegalArgumentException("not a regular file in the conf dir: " + file);
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                // Configuration and data are never executable, whatever the checkout's modes.
                setMode(target, FILE_MODE);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Every file of the image, sorted by path, hashed; symlinks must stay inside the image. */
    static List<Entry> scan(Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path p : walk(root)) {
            String rel = relative(root, p);
            if (Files.isSymbolicLink(p)) {
                entries.add(new Entry(rel, 0, null, checkedLink(root, p)));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                entries.add(new Entry(rel, Files.size(p), hex(sha256(p)), null));
            }
        }
        return entries;
    }

    private static String checkedLink(Path root, Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        Path resolved = link.getParent().resolve(target).normalize();
        if (target.isAbsolute() || !resolved.startsWith(root) || !Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("symbolic link " + link + " -> " + target + " does not name a file inside the image");
        }
        return target.toString().replace('\\', '/');
    }

    /** All paths under {@code root} (not root itself), sorted by their '/'-separated relative path. */
    static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).sorted((a, b) -> relative(root, a).compareTo(relative(root, b))).toList();
        }
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /** Sets every mtime in the image, children before their directory. */
    private static void stamp(Path root, FileTime time) throws IOException {
        List<Path> all = new ArrayList<>(walk(root));
        all.add(root);
        for (Path p : all.reversed()) {
            try {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(time, null, null);
            } catch (IOException | UnsupportedOperationException e) {
                if (!Files.isSymbolicLink(p)) throw e; // some platforms cannot stamp a link itself; the archive is unaffected
            }
        }
    }

    /** {@code x-1.0.tar.gz} → {@code x-1.0-dbgsym.tar.gz}: the native symbols' archive. */
    static Path debugArchive(Path archive) {
        String n = archive.getFileName().toString();
        String base = n.endsWith(".tar.gz") ? n.substring(0, n.length() - ".tar.gz".length()) : n;
        return archive.resolveSibling(base + "-dbgsym.tar.gz");
    }

    static void writeArchive(Path root, ImageSpec spec, Path archive) throws IOException {
        writeArchive(root, spec.topDirectory(), spec.timestamp().getEpochSecond(), archive);
    }

    static void writeArchive(Path root, String topDirectory, long mtime, Path archive) throws IOException {
        Files.createDirectories(archive.toAbsolutePath().getParent());
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        String top = topDirectory + "/";
        // GZIPOutputStream writes a fixed header (MTIME 0, no file name), so the bytes depend only on the tar.
        try (OutputStream file = Files.newOutputStream(tmp);
             GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16)) {
            TarWriter tar = new TarWriter(gz, mtime);
            tar.directory(top, DIR_MODE);
            for (Path p : walk(root)) {
                String name = top + relative(root, p);
                if (Files.isSymbolicLink(p)) {
                    tar.symlink(name, checkedLink(root, p));
                } else if (Files.isDirectory(p)) {
                    tar.directory(name, DIR_MODE);
                } else if (Files.isRegularFile(p)) {
                    tar.file(name, isExecutable(p) ? EXEC_MODE : FILE_MODE, Files.size(p), o -> Files.copy(p, o));
                } else {
                    throw new IllegalStateException("neither file, directory nor link: " + p);
                }
            }
            tar.finish();
        }
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isExecutable(Path p) throws IOException {
        try {
            return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(p);
        }
    }

    private static void setMode(Path p, int mode) throws IOException {
        try {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode == EXEC_MODE ? "rwxr-xr-x" : "rw-r--r--");
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the archive's modes come from isExecutable, best effort.
        }
    }

    static byte[] sha256(Path p) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256 (MessageDigest spec)", e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Binary mebibytes with one decimal. */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
