package atoll.libos.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceAndLayeredStoreTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ResourceStore fixture() {
        return ResourceStore.ofModule(getClass().getModule(), "store-fixture/");
    }

    @Test
    void readsModuleResourcesUnderThePrefix() throws Exception {
        ResourceStore s = fixture();
        assertArrayEquals(b("hello\n"), s.read("greeting.txt"));
        assertArrayEquals(b("$ORIGIN example.\n"), s.read("zones/example.zone"));
        assertTrue(s.exists("greeting.txt"));
        assertFalse(s.exists("missing.txt"));
        assertThrows(NoSuchFileException.class, () -> s.read("missing.txt"));
        assertThrows(IllegalArgumentException.class, () -> s.read("../no-index/a.txt"));
        assertTrue(s.describe("greeting.txt").endsWith("store-fixture/greeting.txt"), s.describe("greeting.txt"));
    }

    @Test
    void listComesFromTheIndex() throws Exception {
        ResourceStore s = fixture();
        assertEquals(List.of("greeting.txt", "zones/example.zone"), s.list(""));
        assertEquals(List.of("zones/example.zone"), s.list("zones/"));
        ResourceStore unindexed = ResourceStore.ofClassLoader(getClass().getClassLoader(), "no-index/");
        assertEquals(List.of(), unindexed.list(""));
        assertArrayEquals(b("x"), unindexed.read("a.txt"));
    }

    @Test
    void customOpener() throws Exception {
        Map<String, String> files = Map.of("p/INDEX", "k\n", "p/k", "v");
        ResourceStore s = ResourceStore.of("memory", "p/",
                name -> files.containsKey(name) ? new ByteArrayInputStream(b(files.get(name))) : null);
        assertEquals(List.of("k"), s.list(""));
        assertArrayEquals(b("v"), s.read("k"));
        assertEquals("memory:p/k", s.describe("k"));
        assertThrows(IllegalArgumentException.class, () -> ResourceStore.of("m", "no-slash", n -> null));
    }

    @Test
    void firstLayerWinsAndListsMerge(@TempDir Path dir) throws Exception {
        DirectoryStore front = DirectoryStore.open(dir);
        front.write("greeting.txt", b("overridden"));
        front.write("extra/only-here", b("x"));
        LayeredStore s = LayeredStore.of(front, fixture());
        assertArrayEquals(b("overridden"), s.read("greeting.txt"));
        assertArrayEquals(b("$ORIGIN example.\n"), s.read("zones/example.zone"));
        assertEquals(dir.resolve("greeting.txt").toString(), s.describe("greeting.txt"));
        assertTrue(s.describe("zones/example.zone").contains("store-fixture/"));
        assertEquals(List.of("extra/only-here", "greeting.txt", "zones/example.zone"), s.list(""));
        assertTrue(s.exists("extra/only-here"));
        assertFalse(s.exists("nope"));
        assertThrows(NoSuchFileException.class, () -> s.read("nope"));
        assertThrows(IllegalArgumentException.class, () -> s.read("/abs"));
    }
}
