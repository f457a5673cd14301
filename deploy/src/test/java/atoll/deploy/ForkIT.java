package atoll.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * ./atoll fork of each stock appliance into a temporary folder outside the checkout, then
 * ./atoll build of the fork (offline, nothing installed): it compiles under its new module and
 * package, its copied tests pass and its image and OCI image are written under the new name.
 *
 * <p>CI cost: four extra builds (549.6 s for the four, measured on a shared 2-core machine under a load
 * average of about 19). By default each fork runs one copied test class (its in-process
 * server test on the socket target, which reads the renamed configuration and embedded data) and
 * no integration test; {@code -Datoll.fork.all-tests=true} runs every copied test, ITs included.
 */
class ForkIT {
    static final List<String> STOCK = Appliances.STOCK;
    /** The copied test each fork runs by default, by stock appliance (path below the package). */
    private static final Map<String, String> SUBSET = Map.of(
            "dns-server", "SocketDnsServerTest",
            "https-static", "HttpsStaticTest",
            "openvpn-gw", "server/ControlServerTest",
            "ssh-bastion", "SocketSshBastionServerTest");

    @TempDir Path tmp;

    @ParameterizedTest
    @FieldSource("STOCK")
    void forkBuildsPassesItsTestsAndMakesItsImage(String appliance) throws Exception {
        String name = "my-" + appliance.substring(0, appliance.indexOf('-')) + "-fork";
        String pkg = "org.example." + name.replace('-', '_');
        Path dir = tmp.resolve(name);
        Path atoll = Appliances.root().resolve("atoll");

        Appliances.Result fork = Appliances.run(
                List.of(atoll.toString(), "fork", appliance, name, "--package=" + pkg, "--dir=" + dir), tmp, 120);
        assertEquals(0, fork.status(), fork.output());
        assertRenamed(appliance, name, pkg, dir);

        List<String> build = new ArrayList<>(List.of(atoll.toString(), "build", dir.toString(), "-o"));
        if (!Boolean.getBoolean("atoll.fork.all-tests")) {
            build.add("-Dtest=" + pkg.replace('.', '/') + "/" + SUBSET.get(appliance));
            build.add("-DskipITs");
        }
        Appliances.Result built = Appliances.run(build, tmp, 1800);
        assertEquals(0, built.status(), tail(built.output()));
        assertTrue(built.output().matches("(?s).*Tests run: [1-9][0-9]*, Failures: 0, Errors: 0.*"),
                "no copied test ran:\n" + tail(built.output()));

        Path target = dir.resolve("target");
        Path launcher = target.resolve("image/bin").resolve(name);
        assertTrue(Files.isExecutable(launcher), launcher + " missing");
        try (Stream<Path> files = Files.list(target)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith(name + "-") && n.endsWith("-oci.tar")), names.toString());
            // No SBOM here: the build is offline (-o), and CycloneDX's makeBom skips itself offline.
        }
        Appliances.Result help = Appliances.run(List.of(launcher.toString(), "--help"), tmp, 60);
        assertTrue(help.output().contains(name), "--help does not name " + name + ":\n" + help.output());
        assertFalse(help.output().contains(appliance), "--help still names " + appliance + ":\n" + help.output());
    }

    private static void assertRenamed(String appliance, String name, String pkg, Path dir) throws IOException {
        Path pkgDir = Path.of(pkg.replace('.', '/'));
        assertTrue(Files.isRegularFile(dir.resolve("src/main/java").resolve(pkgDir).resolve("Main.java")));
        assertTrue(Files.isDirectory(dir.resolve("src/test/java").resolve(pkgDir)));
        assertTrue(Files.isRegularFile(dir.resolve("src/main/conf").resolve(name + ".conf")));
        assertTrue(Files.readString(dir.resolve("src/main/java/module-info.java")).contains("module " + pkg + " {"));
        assertTrue(Files.readString(dir.resolve("README.md")).contains("# " + name));
        String pom = Files.readString(dir.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>" + name + "</artifactId>"), "artifactId");
        assertTrue(pom.contains("<mainClass>" + pkg + ".Main</mainClass>"), "mainClass");
        String module = Files.readString(Appliances.root().resolve("appliances").resolve(appliance)
                .resolve("src/main/java/module-info.java")).replaceAll("(?s).*module ([a-z.]+) \\{.*", "$1");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(java|xml|md|conf|properties)")).toList()) {
                String text = Files.readString(f);
                assertFalse(text.matches("(?s).*\\b" + module.replace(".", "\\.") + "\\b.*"), f + " still names " + module);
            }
        }
    }

    private static String tail(String output) {
        return output.length() > 8000 ? output.substring(output.length() - 8000) : output;
    }
}
