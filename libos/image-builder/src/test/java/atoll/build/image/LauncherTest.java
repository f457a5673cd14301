package atoll.build.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    static ImageSpec spec(Path base) {
        return new ImageSpec("dns-server", "1.2.3", "socket", List.of(base), "atoll.dns", "atoll.dns.Main",
                base, base.resolve("image"), base.resolve("a.tar.gz"), Instant.parse("2026-01-01T00:00:00Z"),
                List.of(), List.of(), false);
    }

    @Test
    void textNamesModuleMainClassAndConfig(@TempDir Path dir) {
        String s = Launcher.script(spec(dir));
        assertTrue(s.startsWith("#!/bin/sh\n"));
        assertTrue(s.contains("-m atoll.dns/atoll.dns.Main \"$@\""), s);
        assertTrue(s.contains("-Datoll.config=\"$HOME_DIR/conf/dns-server.conf\""), s);
        assertTrue(s.contains("--module-path \"$HOME_DIR/app\""), s);
        assertTrue(s.contains("exec \"$HOME_DIR/runtime/bin/java\" -XX:+UseSerialGC -Xms8m -Xmx128m"
                + " -XX:MaxMetaspaceSize=32m -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000"), s);
    }

    /** Runs the launcher against a stand-in java that prints its arguments, through a symlink. */
    @Test
    void runsTheRuntimeWithArgumentsThroughASymlink(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        Path home = dir.resolve("img");
        Path java = home.resolve("runtime/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = home.resolve("bin/dns-server");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, Launcher.script(spec(dir)));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("usr/bin")).resolve("dns"),
                Path.of("../../img/bin/dns-server"));

        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--port=53", "two words");
        pb.environment().put("ATOLL_JAVA_OPTS", "-Xmx32m -Dx=y");
        Process p = pb.redirectErrorStream(true).start();
        List<String> args = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", args));
        String h = home.toRealPath().toString();
        // The launch instant (epoch ns) differs per run: check its form, then compare the rest.
        assertTrue(args.get(8).matches("-Datoll\\.launched=\\d{19}"), args.get(8));
        args = new java.util.ArrayList<>(args);
        args.remove(8);
        // The image's memory defaults come before ATOLL_JAVA_OPTS, whose -Xmx32m therefore wins.
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-XX:MaxMetaspaceSize=32m",
                "-XX:MaxDirectMemorySize=32m", "-XX:TrimNativeHeapInterval=2000", "-Datoll.config=" + h + "/conf/dns-server.conf",
                "-Datoll.home=" + h, "-Xmx32m", "-Dx=y", "--module-path", h + "/app", "-m", "atoll.dns/atoll.dns.Main",
                "--port=53", "two words"), args);
    }

    /** The launcher's part in the AOT cache: make it at the first start, then use it; only where it was made. */
    @Test
    void aotCacheIsMadeAtFirstStartThenUsedWhereItWasMade(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        Path home = dir.resolve("img");
        Path java = home.resolve("runtime/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = home.resolve("bin/dns-server");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, Launcher.script(spec(dir)));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        String h = home.toRealPath().toString();
        Path cache = Files.createDirectories(home.resolve("cache")).resolve("dns-server.aot");

        assertTrue(run(launcher, "--version").stream().noneMatch(a -> a.startsWith("-XX:AOTCache")), "no cache from --version");
        assertTrue(run(launcher, "--port=53").contains("-XX:AOTCacheOutput=" + h + "/cache/dns-server.aot"));
        assertEquals(h + "\n", Files.readString(home.resolve("cache/dns-server.aot.home")));
        Files.writeString(cache, "stand-in");
        assertTrue(run(launcher, "--port=53").contains("-XX:AOTCache=" + h + "/cache/dns-server.aot"));
        // Made for another directory (the image moved): the JVM would refuse it, so it is made again.
        Files.writeString(home.resolve("cache/dns-server.aot.home"), "/elsewhere\n");
        assertTrue(run(launcher, "--port=53").contains("-XX:AOTCacheOutput=" + h + "/cache/dns-server.aot"));
        assertFalse(Files.exists(cache));
        Files.writeString(cache, "stand-in");
        List<String> off = run(launcher, Map.of("ATOLL_AOT_CACHE", "off"), "--port=53");
        assertTrue(off.stream().noneMatch(a -> a.startsWith("-XX:AOTCache")), off.toString());
    }

    private static List<String> run(Path launcher, String... args) throws Exception {
        return run(launcher, Map.of(), args);
    }

    private static List<String> run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("ATOLL_AOT_CACHE");
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", out));
        return out;
    }

    @Test
    void bakedJavaOptionsAreQuoted(@TempDir Path dir) {
        ImageSpec s = spec(dir);
        ImageSpec withOpts = new ImageSpec(s.name(), s.version(), s.target(), s.modulePath(), s.mainModule(), s.mainClass(),
                s.confDir(), s.output(), s.archive(), s.timestamp(), List.of(), List.of("-Dmsg=a b"), false);
        assertTrue(Launcher.script(withOpts).contains("-XX:TrimNativeHeapInterval=2000 '-Dmsg=a b'"));
    }
}
