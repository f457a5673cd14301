package atoll.libos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelpPrinterTest {

    @Test
    void listsEveryKeyGroupedAndAligned() {
        Map<String, List<ConfigKey<?>>> groups = new LinkedHashMap<>();
        groups.put("runtime", List.of(
                ConfigKey.of("shutdown.grace", ValueTypes.duration(), Duration.ofSeconds(5), "time to drain"),
                ConfigKey.of("data.dir", ValueTypes.string(), "", "extra data")));
        groups.put("target", List.of());
        groups.put("appliance", List.of(ConfigKey.of("dns.port", ValueTypes.port(), 53, "port to answer on")));
        String help = HelpPrinter.render("dns-server", groups);
        String[] lines = help.split("\n");
        assertTrue(lines[0].startsWith("usage: dns-server "), lines[0]);
        assertTrue(help.contains("\nruntime keys:\n"), help);
        assertTrue(help.contains("\nappliance keys:\n"), help);
        assertTrue(!help.contains("target keys:"), "empty groups are left out:\n" + help);
        assertTrue(help.indexOf("runtime keys:") < help.indexOf("shutdown.grace"));
        assertTrue(help.indexOf("appliance keys:") < help.indexOf("dns.port"));
        String grace = line(lines, "shutdown.grace");
        String port = line(lines, "dns.port");
        String dir = line(lines, "data.dir");
        assertTrue(grace.contains("duration") && grace.contains("5s") && grace.endsWith("time to drain"), grace);
        assertTrue(port.contains("port") && port.contains("53") && port.endsWith("port to answer on"), port);
        assertTrue(dir.contains("\"\""), dir);
        // Aligned: the doc column starts at the same offset in every row.
        assertEquals(grace.indexOf("time to drain"), port.indexOf("port to answer on"));
        assertEquals(grace.indexOf("duration"), port.indexOf("port", "  dns.port".length()));
    }

    private static String line(String[] lines, String key) {
        for (String l : lines) {
            if (l.startsWith("  " + key + " ")) {
                return l;
            }
        }
        throw new AssertionError("no line for " + key);
    }
}
