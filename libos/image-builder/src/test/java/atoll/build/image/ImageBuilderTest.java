package atoll.build.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds real images (jlink, without the CDS archive to keep the test quick) from tiny modules. */
class ImageBuilderTest {

    static final Instant TIME = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir static Path base;
    static ImageBuilder.Result first, second;
    static Path firstOut;

    static ImageSpec spec(String tag) throws IOException {
        Path mods = base.resolve("mods");
        Path conf = base.resolve("conf");
        return new ImageSpec("demo", "1.0", "socket", List.of(mods, base.resolve("extra/demo.app.jar")), "demo.app",
                "demo.app.Main", conf, base.resolve(tag + "/image"), base.resolve(tag + "/demo-1.0.tar.gz"), TIME,
                List.of(), List.of(), false, List.of(), null, base.resolve(tag + "/oci"), List.of("5300/udp", "5300/tcp"));
    }

    @BeforeAll
    static void buildTwice() throws IOException {
        TestModules.jar(base.resolve("mods"), "demo.lib", List.of("jdk.unsupported"));
        TestModules.jar(base.resolve("extra"), "demo.app", List.of("demo.lib"));
        Path conf = Files.createDirectories(base.resolve("conf"));
        Files.writeString(conf.resolve("demo.conf"), "# port = 5300\n");
        Files.createDirectories(conf.resolve("zones"));
        Files.writeString(conf.resolve("zones/example.zone"), "@ SOA . . 1 2 3 4 5\n");
        first = ImageBuilder.build(spec("one"));
        second = ImageBuilder.build(spec("two"));
        firstOut = spec("one").output();
    }

    @Test
    void twoBuildsGiveIdenticalArchives() throws IOException {
        assertArrayEquals(Files.readAllBytes(spec("one").archive()), Files.readAllBytes(spec("two").archive()));
        assertEquals(first.archiveSha256(), second.archiveSha256());
        assertEquals(Files.readString(firstOut.resolve("manifest.json")), Files.readString(spec("two").output().resolve("manifest.json")));
    }

    @Test
    void runtimeHoldsOnlyRequiredJdkModules() throws IOException {
        assertEquals(List.of("java.base", "jdk.unsupported"), first.modules().jdkModules());
        assertEquals(List.of("demo.app", "demo.lib"), first.modules().appModules());
        String release = Files.readString(firstOut.resolve("runtime/release"));
        assertTrue(release.contains("MODULES=\"java.base jdk.unsupported\""), release);
        assertTrue(Files.isExecutable(firstOut.resolve("runtime/bin/java")));
    }

    @Test
    void layoutHasAppConfAndLauncher() throws IOException {
        assertTrue(Files.isRegularFile(firstOut.resolve("app/demo.app.jar")));
        assertTrue(Files.isRegularFile(firstOut.resolve("app/demo.lib.jar")));
        assertEquals("# port = 5300\n", Files.readString(firstOut.resolve("conf/demo.conf")));
        assertTrue(Files.isRegularFile(firstOut.resolve("conf/zones/example.zone")));
        assertTrue(Files.isExecutable(firstOut.resolve("bin/demo")));
        assertFalse(Files.exists(firstOut.resolve("runtime/include")), "--no-header-files");
        assertEquals(TIME, Files.getLastModifiedTime(firstOut.resolve("conf/demo.conf")).toInstant());
        assertEquals(TIME, Files.getLastModifiedTime(firstOut.resolve("runtime")).toInstant());
    }

    @Test
    void manifestListsEveryPartWithDigests() throws IOException {
        String m = Files.readString(firstOut.resolve("manifest.json"));
        for (String part : ImageBuilder.PARTS) assertTrue(m.contains("\"" + part + "\": {"), part);
        byte[] conf = Files.readAllBytes(firstOut.resolve("conf/demo.conf"));
        assertTrue(m.contains("{\"path\": \"conf/demo.conf\", \"size\": " + conf.length + ", \"sha256\": \""
                + ImageBuilder.hex(ImageBuilder.sha256().digest(conf)) + "\"}"), m);
        assertTrue(m.contains("\"jdkModules\": [\"java.base\", \"jdk.unsupported\"]"), m);
        assertTrue(m.contains("\"target\": \"socket\""), m);
        assertTrue(m.contains("\"built\": \"2026-11-27T00:00:00Z\""), m);
        assertEquals(first.size(null), first.size("runtime") + first.size("app") + first.size("bin") + first.size("conf"));
    }

    @Test
    void sha256FileMatchesArchive() throws IOException {
        Path archive = spec("one").archive();
        String line = Files.readString(archive.resolveSibling("demo-1.0.tar.gz.sha256"));
        assertEquals(ImageBuilder.hex(ImageBuilder.sha256(archive)) + "  demo-1.0.tar.gz\n", line);
        assertEquals(Files.size(archive), first.archiveSize());
    }

    @Test
    void archiveEntriesAreSortedUnderTopDirectoryWithFixedTime() throws IOException {
        byte[] gz = Files.readAllBytes(spec("one").archive());
        // RFC 1952 §2.3.1: MTIME (bytes 4-7) zero means no time stamp.
        assertArrayEquals(new byte[4], java.util.Arrays.copyOfRange(gz, 4, 8));
        byte[] tar;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(spec("one").archive()))) {
            tar = in.readAllBytes();
        }
        List<TarWriterTest.Header> hs = TarWriterTest.parse(tar);
        assertEquals("demo-1.0/", hs.getFirst().path());
        List<String> paths = hs.stream().map(TarWriterTest.Header::path).toList();
        assertEquals(paths.stream().sorted().toList(), paths);
        for (TarWriterTest.Header h : hs) {
            assertTrue(h.path().startsWith("demo-1.0/"), h.path());
            assertEquals(TIME.getEpochSecond(), h.mtime());
        }
        assertTrue(paths.contains("demo-1.0/manifest.json"));
        assertEquals(0755, hs.get(paths.indexOf("demo-1.0/bin/demo")).mode());
        assertEquals(0755, hs.get(paths.indexOf("demo-1.0/runtime/bin/java")).mode());
        assertEquals(0644, hs.get(paths.indexOf("demo-1.0/conf/demo.conf")).mode());
    }

    @Test
    void summaryLine() {
        String s = first.summary();
        assertTrue(s.startsWith("[image] demo 1.0: "), s);
        assertTrue(s.contains("2 JDK modules"), s);
        assertTrue(s.contains("archive " + ImageBuilder.mib(first.archiveSize()) + ", sha256 " + first.archiveSha256() + ";"), s);
        assertTrue(s.contains("AOT cache none"), s); // this spec has no training run
    }

    /** The runtime's native libraries lose their symbols to a separate, reproducible -dbgsym archive. */
    @Test
    void nativeSymbolsGoToAReproducibleDebugArchive() throws Exception {
        assertTrue(NativeSymbols.available(), "objcopy not found: install the Debian package binutils");
        Path one = ImageBuilder.debugArchive(spec("one").archive());
        assertEquals("demo-1.0-dbgsym.tar.gz", one.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(ImageBuilder.debugArchive(spec("two").archive())));
        Path libjvm = firstOut.resolve("runtime/lib/server/libjvm.so");
        Process p = new ProcessBuilder("readelf", "-S", libjvm.toString()).redirectErrorStream(true).start();
        String sections = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), sections);
        assertTrue(sections.contains(".dynsym"), sections);
        assertFalse(sections.contains(".symtab"), "libjvm.so still has its symbol table");
        assertTrue(first.summary().contains("native symbols in the -dbgsym archive"), first.summary());
    }

    @Test
    void missingModuleIsNamed() throws IOException {
        Path mods = TestModules.jar(base.resolve("broken"), "broken.app", List.of("no.such.module")).getParent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdkModules.resolve(List.of(mods), "broken.app", List.of()));
        assertTrue(e.getMessage().contains("no.such.module"), e.getMessage());
    }

    @Test
    void followsRequiresTransitivelyButNotStatic() throws IOException {
        Path mods = TestModules.jar(base.resolve("static"), "s.app", List.of("java.net.http"), List.of("java.sql")).getParent();
        JdkModules.Resolution r = JdkModules.resolve(List.of(mods), "s.app", List.of("jdk.jfr"));
        // java.net.http requires only java.base; java.sql (static) is left out; jdk.jfr was asked for.
        assertEquals(List.of("java.base", "java.net.http", "jdk.jfr"), r.jdkModules());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdkModules.resolve(List.of(mods), "not.there", List.of()));
        assertTrue(e.getMessage().contains("not.there"), e.getMessage());
    }

    @Test
    void refusesToReplaceASourceTree() throws IOException {
        Path src = Files.createDirectories(base.resolve("project"));
        Files.writeString(src.resolve("pom.xml"), "<project/>");
        assertThrows(IllegalArgumentException.class, () -> ImageBuilder.clean(src));
        assertTrue(Files.exists(src.resolve("pom.xml")));
    }

    @Test
    void parsesArguments() {
        ImageSpec s = ImageSpec.parse("--name", "dns-server", "--version=0.1.0-SNAPSHOT", "--module-path", "a" + java.io.File.pathSeparator + "b.jar",
                "--main-module", "atoll.dns", "--main-class", "atoll.dns.Main", "--conf-dir", "c", "--output", "o",
                "--archive", "x.tar.gz", "--timestamp", "1800000000", "--add-jdk-modules", "jdk.jfr,java.logging", "--cds", "false");
        assertEquals(List.of(Path.of("a"), Path.of("b.jar")), s.modulePath());
        assertEquals(Instant.ofEpochSecond(1_800_000_000L), s.timestamp());
        assertEquals(List.of("jdk.jfr", "java.logging"), s.addJdkModules());
        assertEquals("socket", s.target());
        assertFalse(s.cds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageSpec.parse("--name", "x"));
        assertTrue(e.getMessage().contains("--version"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.parseTimestamp("yesterday"));
        assertTrue(new String(ImageSpec.USAGE.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).contains("--timestamp"));
    }

    @Test
    void anImageMayCarrySeveralTargets() {
        String[] base = {"--name", "d", "--version", "1", "--module-path", "a", "--main-module", "m", "--main-class",
                "m.Main", "--conf-dir", "c", "--output", "o", "--archive", "x.tar.gz", "--timestamp", "0"};
        String[] both = java.util.Arrays.copyOf(base, base.length + 1);
        both[base.length] = "--target=socket,tap";
        assertEquals("socket,tap", ImageSpec.parse(both).target());
        for (String bad : List.of("--target=socket,,tap", "--target=socket,", "--target=a b")) {
            String[] args = java.util.Arrays.copyOf(base, base.length + 1);
            args[base.length] = bad;
            assertThrows(IllegalArgumentException.class, () -> ImageSpec.parse(args), bad);
        }
    }

    // ---- OCI image ----

    @Test
    void twoBuildsGiveTheSameOciDigest() throws IOException {
        assertEquals(first.oci().manifestDigest(), second.oci().manifestDigest());
        assertArrayEquals(Files.readAllBytes(spec("one").ociArchive()), Files.readAllBytes(spec("two").ociArchive()));
        assertEquals("demo-1.0-oci.tar", spec("one").ociArchive().getFileName().toString());
        assertEquals(Files.size(spec("one").ociArchive()), first.oci().archiveSize());
    }

    /** Reads a blob of the layout, checking that its name is its SHA-256 and its size the descriptor's. */
    static byte[] blob(Path layout, Object descriptor) throws IOException {
        Map<?, ?> d = (Map<?, ?>) descriptor;
        String digest = (String) d.get("digest");
        assertTrue(digest.startsWith("sha256:"), digest);
        byte[] content = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring(7)));
        assertEquals(digest, "sha256:" + ImageBuilder.hex(ImageBuilder.sha256().digest(content)), "blob content vs its digest");
        assertEquals(((Number) d.get("size")).longValue(), content.length, "descriptor size of " + digest);
        return content;
    }

    static Object json(byte[] b) {
        return Json.parse(new String(b, StandardCharsets.UTF_8));
    }

    @Test
    void ociLayoutManifestAndConfigFollowTheImageSpec() throws IOException {
        Path layout = spec("one").ociLayout();
        assertEquals(Map.of("imageLayoutVersion", "1.0.0"), json(Files.readAllBytes(layout.resolve("oci-layout"))));
        Map<?, ?> index = (Map<?, ?>) json(Files.readAllBytes(layout.resolve("index.json")));
        assertEquals(OciImage.INDEX_TYPE, index.get("mediaType"));
        List<?> manifests = (List<?>) index.get("manifests");
        assertEquals(1, manifests.size());
        Map<?, ?> entry = (Map<?, ?>) manifests.getFirst();
        assertEquals(first.oci().manifestDigest(), entry.get("digest"));
        assertEquals(Map.of(OciImage.REF_NAME, "localhost/demo:1.0"), entry.get("annotations"));

        Map<?, ?> manifest = (Map<?, ?>) json(blob(layout, entry));
        assertEquals(new java.math.BigDecimal(2), manifest.get("schemaVersion"));
        assertEquals(OciImage.MANIFEST_TYPE, manifest.get("mediaType"));
        Map<?, ?> configRef = (Map<?, ?>) manifest.get("config");
        assertEquals(OciImage.CONFIG_TYPE, configRef.get("mediaType"));
        Map<?, ?> config = (Map<?, ?>) json(blob(layout, configRef));
        assertEquals("linux", config.get("os"));
        assertEquals(OciImage.architecture(), config.get("architecture"));
        assertEquals("2026-11-27T00:00:00Z", config.get("created"));
        Map<?, ?> run = (Map<?, ?>) config.get("config");
        assertEquals("65532:65532", run.get("User"), "not root");
        assertEquals(Map.of("5300/tcp", Map.of(), "5300/udp", Map.of()), run.get("ExposedPorts"));
        List<?> entrypoint = (List<?>) run.get("Entrypoint");
        assertEquals("/opt/demo/runtime/bin/java", entrypoint.getFirst(), "the JVM itself: the image has no shell for bin/demo");
        assertTrue(entrypoint.contains("-Datoll.config=/opt/demo/conf/demo.conf"), entrypoint.toString());
        assertEquals(List.of("--module-path", "/opt/demo/app", "-m", "demo.app/demo.app.Main"),
                entrypoint.subList(entrypoint.size() - 4, entrypoint.size()));
        assertTrue(entrypoint.containsAll(Launcher.MEMORY_OPTIONS), entrypoint.toString());

        List<?> layers = (List<?>) manifest.get("layers");
        List<?> diffIds = (List<?>) ((Map<?, ?>) config.get("rootfs")).get("diff_ids");
        assertEquals(2, layers.size());
        assertEquals(2, diffIds.size());
        assertEquals(2, ((List<?>) config.get("history")).size());
        for (int i = 0; i < layers.size(); i++) {
            assertEquals(OciImage.LAYER_TYPE, ((Map<?, ?>) layers.get(i)).get("mediaType"));
            byte[] tar = gunzip(blob(layout, layers.get(i)));
            assertEquals(diffIds.get(i), "sha256:" + ImageBuilder.hex(ImageBuilder.sha256().digest(tar)), "diff_id of layer " + i);
        }
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static List<TarWriterTest.Header> layer(int i) throws IOException {
        Path layout = spec("one").ociLayout();
        Map<?, ?> index = (Map<?, ?>) json(Files.readAllBytes(layout.resolve("index.json")));
        Map<?, ?> manifest = (Map<?, ?>) json(blob(layout, ((List<?>) index.get("manifests")).getFirst()));
        return TarWriterTest.parse(gunzip(blob(layout, ((List<?>) manifest.get("layers")).get(i))));
    }

    /** Layer 0: glibc's closure for the runtime and /tmp; nothing else of the host (no shell, no package manager). */
    @Test
    void systemLayerHoldsOnlyTheRuntimesSystemLibraries() throws IOException {
        List<TarWriterTest.Header> hs = layer(0);
        List<String> files = hs.stream().filter(h -> h.type() == '0').map(TarWriterTest.Header::path).toList();
        assertTrue(files.stream().anyMatch(f -> f.endsWith("/libc.so.6")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.matches("lib(64)?/.*ld-linux.*\\.so\\.\\d")), files.toString());
        for (String f : files) {
            assertTrue(f.matches("(usr/)?lib(64|32|x32)?/.*\\.so(\\.[0-9]+)*"), "not a shared library: " + f);
        }
        assertEquals(first.oci().systemLibraries().size(), files.size());
        TarWriterTest.Header tmp = hs.stream().filter(h -> h.path().equals("tmp/")).findFirst().orElseThrow();
        assertEquals(01777, tmp.mode());
        for (TarWriterTest.Header h : hs) {
            assertEquals(0, h.uid(), h.path());
            assertEquals(TIME.getEpochSecond(), h.mtime(), h.path());
        }
    }

    /** Layer 1: runtime, app and conf under /opt/demo, and state/ owned by the image's user. */
    @Test
    void applianceLayerHoldsRuntimeAppConfAndAWritableStateDir() throws IOException {
        List<TarWriterTest.Header> hs = layer(1);
        List<String> paths = hs.stream().map(TarWriterTest.Header::path).toList();
        assertEquals(paths.stream().sorted().toList(), paths);
        assertTrue(paths.contains("opt/demo/runtime/bin/java"), paths.toString());
        assertTrue(paths.contains("opt/demo/app/demo.app.jar"));
        assertTrue(paths.contains("opt/demo/conf/demo.conf"));
        assertFalse(paths.contains("opt/demo/bin/demo"), "the sh launcher cannot run without a shell");
        assertFalse(paths.contains("opt/demo/manifest.json"));
        for (String p : paths) assertTrue(p.startsWith("opt/"), p);
        TarWriterTest.Header state = hs.get(paths.indexOf("opt/demo/state/"));
        assertEquals(65532, state.uid());
        assertEquals(0700, state.mode());
        assertEquals(0755, hs.get(paths.indexOf("opt/demo/runtime/bin/java")).mode());
    }

    @Test
    void manifestAndSummaryNameTheOciDigest() throws IOException {
        String m = Files.readString(firstOut.resolve("manifest.json"));
        assertTrue(m.contains("\"digest\": \"" + first.oci().manifestDigest() + "\""), m);
        assertTrue(first.summary().contains("OCI image " + first.oci().manifestDigest() + ", " + ImageBuilder.mib(first.oci().archiveSize())),
                first.summary());
        Object parsed = Json.parse(m); // the manifest is well-formed JSON
        assertEquals("demo", ((Map<?, ?>) parsed).get("name"));
    }

    // ---- SBOM ----

    /** The shape of cyclonedx-maven-plugin 2.9's JSON: metadata.component, components, dependencies. */
    static final String MAVEN_BOM = """
            {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
             "metadata":{"timestamp":"2026-11-27T00:00:00Z","component":{"type":"application","bom-ref":"pkg:maven/dev.atoll/demo@1.0?type=jar",
               "group":"dev.atoll","name":"demo","version":"1.0"}},
             "components":[{"type":"library","bom-ref":"pkg:maven/org.bouncycastle/bcprov-jdk18on@1.84?type=jar",
               "group":"org.bouncycastle","name":"bcprov-jdk18on","version":"1.84","purl":"pkg:maven/org.bouncycastle/bcprov-jdk18on@1.84?type=jar"}],
             "dependencies":[{"ref":"pkg:maven/dev.atoll/demo@1.0?type=jar","dependsOn":["pkg:maven/org.bouncycastle/bcprov-jdk18on@1.84?type=jar"]}]}
            """;

    @Test
    void sbomAddsTheJdkModulesAndGlibcToTheMavenComponents() throws IOException {
        Path maven = Files.writeString(base.resolve("maven.cdx.json"), MAVEN_BOM);
        Path out = Sbom.write(maven, first, base.resolve("demo-1.0.cdx.json"));
        Object bom = Json.parse(Files.readString(out));
        java.util.Set<String> names = Sbom.names(bom);
        assertTrue(names.containsAll(List.of("bcprov-jdk18on", "java.base", "jdk.unsupported", "glibc")), names.toString());
        Map<?, ?> root = (Map<?, ?>) bom;
        List<?> deps = (List<?>) root.get("dependencies");
        assertEquals(1, deps.size());
        List<?> dependsOn = (List<?>) ((Map<?, ?>) deps.getFirst()).get("dependsOn");
        assertTrue(dependsOn.contains("jdk-module:java.base@" + first.jdkVersion()), dependsOn.toString());
        assertTrue(dependsOn.contains("pkg:maven/org.bouncycastle/bcprov-jdk18on@1.84?type=jar"), dependsOn.toString());
        assertEquals("4 components (1 from Maven, 2 JDK modules, 1 system)", Sbom.summary(out));
        // The same inputs give the same bytes.
        Path again = Sbom.write(maven, first, base.resolve("again.cdx.json"));
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
        assertThrows(IOException.class, () -> Sbom.write(Files.writeString(base.resolve("not.json"), "{\"bomFormat\":\"SPDX\"}"), first,
                base.resolve("x.json")));
    }
}
