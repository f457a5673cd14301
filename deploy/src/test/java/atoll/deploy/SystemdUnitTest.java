package atoll.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * deploy/systemd/*.service: systemd itself (systemd-analyze verify, Debian package systemd) reads
 * each unit without a complaint, and each carries the hardening deploy/README.md promises.
 */
class SystemdUnitTest {
    static final List<String> STOCK = Appliances.STOCK;
    private static final Pattern PRIVILEGED_PORT = Pattern.compile("--(?:http\\.)?port=(\\d+)");

    @TempDir Path tmp;

    @ParameterizedTest
    @FieldSource("STOCK")
    void systemdAcceptsTheUnit(String appliance) throws Exception {
        Appliances.Result r = verify(appliance, unitText(appliance));
        assertEquals(0, r.status(), r.output());
        assertEquals("", r.output().strip(), "systemd-analyze verify complained");
    }

    /** The check above can fail: a misspelt key and a bad value are both reported. */
    @Test
    void systemdRejectsABrokenUnit() throws Exception {
        String broken = unitText("dns-server").replace("Restart=on-failure", "Restart=sometimes")
                .replace("ProtectHome=yes", "ProtectHomes=yes");
        Appliances.Result r = verify("dns-server", broken);
        assertTrue(r.output().contains("sometimes") && r.output().contains("ProtectHomes"), r.output());
    }

    @ParameterizedTest
    @FieldSource("STOCK")
    void unitIsHardened(String appliance) throws IOException {
        Map<String, String> service = serviceSection(unitText(appliance));
        for (var expected : Map.of("DynamicUser", "yes", "ProtectSystem", "strict", "ProtectHome", "yes",
                "PrivateTmp", "yes", "NoNewPrivileges", "yes", "StateDirectory", appliance,
                "Restart", "on-failure", "RestartForceExitStatus", "70", "RestartPreventExitStatus", "64",
                "ReadOnlyPaths", "/opt/atoll/" + appliance).entrySet()) {
            assertEquals(expected.getValue(), service.get(expected.getKey()), appliance + ": " + expected.getKey());
        }
        String exec = service.get("ExecStart");
        assertTrue(exec.startsWith("/opt/atoll/" + appliance + "/bin/" + appliance + " "), exec);
        assertTrue(exec.contains("--state.dir=${STATE_DIRECTORY}"), exec);
        // CAP_NET_BIND_SERVICE exactly when a port below 1024 is bound, and nothing else ever.
        boolean privileged = false;
        Matcher m = PRIVILEGED_PORT.matcher(exec);
        while (m.find()) privileged |= Integer.parseInt(m.group(1)) < 1024;
        String caps = privileged ? "CAP_NET_BIND_SERVICE" : "";
        assertEquals(caps, service.get("CapabilityBoundingSet"), appliance);
        assertEquals(caps, service.get("AmbientCapabilities"), appliance);
    }

    /** The unit's image path points at an executable stand-in, as systemd checks ExecStart exists. */
    private Appliances.Result verify(String appliance, String text) throws Exception {
        Path image = tmp.resolve("opt/atoll").resolve(appliance);
        Path bin = Files.createDirectories(image.resolve("bin")).resolve(appliance);
        if (!Files.exists(bin)) {
            Files.writeString(bin, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path unit = tmp.resolve(appliance + ".service");
        Files.writeString(unit, text.replace("/opt/atoll/", tmp.resolve("opt/atoll") + "/"));
        String analyze = findSystemdAnalyze();
        return Appliances.run(List.of(analyze, "verify", "--man=no", unit.toString()), tmp, 60);
    }

    private static String findSystemdAnalyze() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "systemd-analyze"))) return Path.of(dir, "systemd-analyze").toString();
        }
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) return "/usr/bin/systemd-analyze";
        throw new AssertionError("systemd-analyze not found: install the Debian package systemd");
    }

    static String unitText(String appliance) throws IOException {
        return Files.readString(Appliances.deploy().resolve("systemd").resolve(appliance + ".service"));
    }

    static Map<String, String> serviceSection(String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        String section = "";
        List<String> lines = new ArrayList<>(text.lines().toList());
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.startsWith("[")) { section = line; continue; }
            int eq = line.indexOf('=');
            if (section.equals("[Service]") && eq > 0) keys.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return keys;
    }
}
