package atoll.libos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final List<ConfigKey<?>> KEYS = List.of(
            ConfigKey.of("dns.port", ValueTypes.port(), 53, "port"),
            ConfigKey.of("tcp.enabled", ValueTypes.bool(), false, "serve TCP"));

    private static CommandLine parse(String... args) throws ConfigException {
        return CommandLine.parse(args, KEYS);
    }

    @Test
    void empty() throws Exception {
        CommandLine c = parse();
        assertFalse(c.help());
        assertFalse(c.version());
        assertEquals(Optional.empty(), c.configFile());
        assertEquals(Map.of(), c.overrides());
    }

    @Test
    void helpVersionConfigAndOverrides() throws Exception {
        CommandLine c = parse("-h", "--version", "--config=/etc/x.conf", "--dns.port=5353", "--tcp.enabled",
                "--dns.port=5354", "--other=a=b");
        assertTrue(c.help());
        assertTrue(c.version());
        assertEquals(Optional.of(Path.of("/etc/x.conf")), c.configFile());
        assertEquals(Map.of("dns.port", "5354", "tcp.enabled", "true", "other", "a=b"), c.overrides());
        assertTrue(parse("--help").help());
        assertEquals("", parse("--dns.port=").overrides().get("dns.port"));
    }

    @Test
    void refusesEverythingElseWithOneLine() {
        for (String[] args : List.of(new String[] {"run"}, new String[] {"-x"}, new String[] {"--"},
                new String[] {"--=1"}, new String[] {"--config"}, new String[] {"--config="},
                new String[] {"--dns.port", "5353"}, new String[] {"--nope"})) {
            ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse(args, KEYS), String.join(" ", args));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> parse("--dns.port", "5353"));
        assertTrue(e.getMessage().contains("--dns.port=VALUE"), e.getMessage());
        assertTrue(e.getMessage().contains("an integer from 1 to 65535"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("serve"));
        assertTrue(e.getMessage().contains("'serve'"), e.getMessage());
    }
}
