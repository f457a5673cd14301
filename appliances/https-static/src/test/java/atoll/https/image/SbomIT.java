package atoll.https.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The image's CycloneDX SBOM ({@code target/https-static-<version>.cdx.json}, atoll:image's merge
 * of the CycloneDX plugin's BOM with the runtime): checked against the image itself, so that every
 * JDK module jlinked into {@code runtime/} (the image's manifest.json lists them) and every Bouncy
 * Castle jar in {@code app/} is a component.
 */
class SbomIT {

    static final String VERSION = System.getProperty("atoll.image.version", "");
    static final Path SBOM = HelpIT.IMAGE.resolveSibling(HelpIT.NAME + "-" + VERSION + ".cdx.json");

    @Test
    void listsTheJlinkedModulesAndTheBouncyCastleJars() throws Exception {
        HelpIT.imageIsBuilt();
        assertTrue(Files.isRegularFile(SBOM), "no SBOM at " + SBOM + ": mvn package writes it (cyclonedx-maven-plugin, then atoll:image)");
        String sbom = Files.readString(SBOM);
        assertTrue(sbom.startsWith("{\"bomFormat\":\"CycloneDX\""), sbom.substring(0, Math.min(200, sbom.length())));

        String manifest = Files.readString(HelpIT.IMAGE.resolve("manifest.json"));
        Matcher list = Pattern.compile("\"jdkModules\": \\[([^\\]]*)\\]").matcher(manifest);
        assertTrue(list.find(), manifest);
        List<String> jdkModules = new ArrayList<>();
        for (String q : list.group(1).split(",")) jdkModules.add(q.strip().replace("\"", ""));
        assertTrue(jdkModules.contains("java.base") && jdkModules.size() > 1, jdkModules.toString());
        for (String m : jdkModules) {
            // One component per module, marked as the runtime's (Sbom.PART), versioned as the JDK.
            Pattern component = Pattern.compile("\\{\"type\":\"library\",\"bom-ref\":\"jdk-module:" + Pattern.quote(m)
                    + "@[^\"]+\",\"name\":\"" + Pattern.quote(m) + "\",\"version\":\"[^\"]+\",\"properties\":\\[\\{\"name\":\"atoll:image:part\",\"value\":\"runtime\"\\}\\]");
            assertTrue(component.matcher(sbom).find(), "no component for JDK module " + m);
        }

        List<String> bcJars;
        try (Stream<Path> s = Files.list(HelpIT.IMAGE.resolve("app"))) {
            bcJars = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("bc")).sorted().toList();
        }
        assertFalse(bcJars.isEmpty(), "the image holds no Bouncy Castle jar");
        for (String jar : bcJars) {
            // bcprov-jdk18on-1.84.jar → group org.bouncycastle, name bcprov-jdk18on, version 1.84, with its SHA-256.
            Matcher m = Pattern.compile("(bc[a-z]+-jdk18on)-(.+)\\.jar").matcher(jar);
            assertTrue(m.matches(), jar);
            String purl = "pkg:maven/org.bouncycastle/" + m.group(1) + "@" + m.group(2) + "?type=jar";
            assertTrue(sbom.contains("\"bom-ref\":\"" + purl + "\""), "no component " + purl);
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(HelpIT.IMAGE.resolve("app").resolve(jar))));
            assertTrue(sbom.contains("{\"alg\":\"SHA-256\",\"content\":\"" + sha + "\"}"), "the SBOM lacks the SHA-256 of " + jar);
        }
        assertEquals(1, Pattern.compile("\"name\":\"glibc\"").matcher(sbom).results().count(), "glibc (the OCI image's system layer)");
    }
}
