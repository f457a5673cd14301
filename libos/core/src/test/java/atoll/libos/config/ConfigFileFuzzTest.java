package atoll.libos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Jazzer targets for the configuration parsers an operator feeds: {@link ConfigFile#parse} (the
 * file) and {@link CommandLine#parse} (the arguments), each followed by {@link Config#of} on what
 * they produced, so that every value also goes through its {@link ValueType}. Each returns or
 * throws {@link ConfigException} only, with the single line the launcher prints (a file error
 * begins with {@code source:}); what parses keeps its invariants.
 *
 * <p>Seeds: {@code src/test/resources/atoll/libos/config/ConfigFileFuzzTestInputs/<method>/}. A
 * {@code parseFile} seed is the file's text; a {@code parseCommandLine} seed is the arguments
 * separated by NUL octets (as in {@code /proc/PID/cmdline}), since an argument cannot contain NUL.
 * With {@code JAZZER_FUZZ=1} and {@code -Dtest=ConfigFileFuzzTest#parseFile} (or
 * {@code #parseCommandLine}) Jazzer fuzzes that one.
 */
class ConfigFileFuzzTest {
    private static final String SOURCE = "fuzz.conf";
    /** A spread of value types; no address type, whose parser may consult the system resolver. */
    private static final List<ConfigKey<?>> KEYS = List.of(
            ConfigKey.of("dns.port", ValueTypes.port(), 53, "port"),
            ConfigKey.of("verbose", ValueTypes.bool(), false, "say more"),
            ConfigKey.of("timeout", ValueTypes.duration(), java.time.Duration.ofSeconds(5), "timeout"),
            ConfigKey.of("mtu", ValueTypes.integer(576, 9000), 1500, "MTU"),
            ConfigKey.of("name", ValueTypes.nonEmptyString(), "x", "a name"),
            ConfigKey.of("log.level", ValueTypes.enumOf("error", "info", "debug"), "info", "level"),
            ConfigKey.of("zones", ValueTypes.listOf(ValueTypes.enumOf("a", "b")), List.of(), "zones"));

    @FuzzTest
    void parseFile(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        ConfigFile file;
        try {
            file = ConfigFile.parse(SOURCE, text);
        } catch (ConfigException e) {
            assertOneLine(e);
            assertTrue(e.getMessage().startsWith(SOURCE + ":"), e::getMessage);
            return;
        }
        assertEquals(SOURCE, file.source());
        assertEquals(file.values().keySet(), file.lines().keySet());
        for (Map.Entry<String, String> kv : file.values().entrySet()) {
            String key = kv.getKey();
            assertFalse(key.isEmpty());
            assertTrue(key.chars().noneMatch(Character::isWhitespace), key);
            assertFalse(key.contains("="), key);
            assertEquals(kv.getValue(), kv.getValue().strip());
            assertEquals(SOURCE + ":" + file.lines().get(key), file.where(key));
        }
        checkConfig(file.values());
    }

    @FuzzTest
    void parseCommandLine(byte[] data) {
        String[] args = new String(data, StandardCharsets.UTF_8).split("\0", -1);
        CommandLine cl;
        try {
            cl = CommandLine.parse(args, KEYS);
        } catch (ConfigException e) {
            assertOneLine(e);
            return;
        }
        assertNotNull(cl.configFile());
        for (String key : cl.overrides().keySet()) {
            assertFalse(key.isEmpty());
            assertFalse(key.contains("="), key);
        }
        checkConfig(cl.overrides());
    }

    /** Values that reached Config are parsed by their types: a Config or a one-line refusal. */
    private static void checkConfig(Map<String, String> raw) {
        Config config;
        try {
            config = Config.of(KEYS, raw);
        } catch (ConfigException e) {
            assertOneLine(e);
            return;
        }
        for (ConfigKey<?> k : KEYS) {
            assertNotNull(config.get(k), k.name());
        }
    }

    /** No line terminator of any kind (Unicode's mandatory breaks: LF, VT, FF, CR, NEL, LS, PS). */
    private static void assertOneLine(ConfigException e) {
        String m = e.getMessage();
        assertNotNull(m);
        assertFalse(m.isEmpty());
        assertTrue(m.chars().noneMatch(c -> c == '\n' || c == '\u000b' || c == '\f' || c == '\r'
                || c == '\u0085' || c == '\u2028' || c == '\u2029'), () -> "not one line: " + m);
    }
}
