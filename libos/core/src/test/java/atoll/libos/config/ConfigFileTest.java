package atoll.libos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @Test
    void parsesKeysCommentsAndBlanks() throws Exception {
        ConfigFile f = ConfigFile.parse("a.conf", """
                # a comment

                  dns.port = 5353
                zone.file=zones/x.zone
                motd = a = b # not a comment
                empty =
                """);
        assertEquals(List.of("dns.port", "zone.file", "motd", "empty"), List.copyOf(f.values().keySet()));
        assertEquals("5353", f.values().get("dns.port"));
        assertEquals("zones/x.zone", f.values().get("zone.file"));
        assertEquals("a = b # not a comment", f.values().get("motd"));
        assertEquals("", f.values().get("empty"));
        assertEquals("a.conf:3", f.where("dns.port"));
        assertNull(f.where("nope"));
    }

    @Test
    void crlfLineEndings() throws Exception {
        ConfigFile f = ConfigFile.parse("w.conf", "a = 1\r\nb = 2\r\n");
        assertEquals(Map.of("a", "1", "b", "2"), f.values());
    }

    @Test
    void malformedLineNamesFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse("x.conf", "a = 1\n\njust words\n"));
        assertTrue(e.getMessage().startsWith("x.conf:3: "), e.getMessage());
        assertTrue(e.getMessage().contains("just words"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.parse("x.conf", " = 1\n"));
        assertTrue(e.getMessage().startsWith("x.conf:1: "), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.parse("x.conf", "two words = 1\n"));
        assertTrue(e.getMessage().startsWith("x.conf:1: "), e.getMessage());
    }

    @Test
    void duplicateKeyIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse("d.conf", "a = 1\nb = 2\na = 3\n"));
        assertTrue(e.getMessage().startsWith("d.conf:3: "), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertEquals("a", e.key());
    }

    @Test
    void readsUtf8FromDisk(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("app.conf");
        Files.writeString(p, "\uFEFFgreeting = grüß dich\n");
        ConfigFile f = ConfigFile.read(p);
        assertEquals("grüß dich", f.values().get("greeting"));
        assertEquals(p + ":1", f.where("greeting"));
    }

    @Test
    void invalidUtf8AndMissingFileAreConfigErrors(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.write(bad, new byte[] {'a', '=', (byte) 0xff});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(bad));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.read(dir.resolve("missing.conf")));
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
