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
                List.of(), List.of(), false);
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
}
