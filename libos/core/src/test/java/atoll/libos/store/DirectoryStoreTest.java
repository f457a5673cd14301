package atoll.libos.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStoreTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void openCreatesTheDirectory() throws Exception {
        Path root = dir.resolve("state/nested");
        DirectoryStore s = DirectoryStore.open(root);
        assertTrue(Files.isDirectory(root));
        assertEquals(root.toAbsolutePath(), s.root());
        assertThrows(NoSuchFileException.class, () -> DirectoryStore.existing(dir.resolve("missing")));
        Files.writeString(dir.resolve("file"), "x");
        assertThrows(NotDirectoryException.class, () -> DirectoryStore.existing(dir.resolve("file")));
    }

    @Test
    void writeReplacesWholeValueAndLeavesNoTempFiles() throws Exception {
        DirectoryStore s = DirectoryStore.open(dir);
        s.write("journal/zone.jnl", b("first version, long"));
        s.write("journal/zone.jnl", b("second"));
        assertArrayEquals(b("second"), s.read("journal/zone.jnl"));
        assertArrayEquals(b("second"), Files.readAllBytes(dir.resolve("journal/zone.jnl")));
        try (var files = Files.list(dir.resolve("journal"))) {
            assertEquals(List.of("zone.jnl"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(s.exists("journal/zone.jnl"));
        assertFalse(s.exists("journal"));
        assertThrows(NoSuchFileException.class, () -> s.read("journal"));
        assertThrows(NoSuchFileException.class, () -> s.read("nope"));
        assertEquals(dir.resolve("journal/zone.jnl").toString(), s.describe("journal/zone.jnl"));
    }

    @Test
    void appendCreatesThenExtends() throws Exception {
        DirectoryStore s = DirectoryStore.open(dir);
        s.append("log/a", b("one\n"));
        s.append("log/a", b("two\n"));
        assertArrayEquals(b("one\ntwo\n"), s.read("log/a"));
        s.write("log/a", b("reset"));
        s.append("log/a", b("+"));
        assertArrayEquals(b("reset+"), s.read("log/a"));
    }

    @Test
    void deleteIsIdempotent() throws Exception {
        DirectoryStore s = DirectoryStore.open(dir);
        s.write("k", b("v"));
        s.delete("k");
        assertFalse(s.exists("k"));
        s.delete("k");
        s.flush();
    }

    @Test
    void listIsSortedFilteredAndSkipsTempFiles() throws Exception {
        DirectoryStore s = DirectoryStore.open(dir);
        s.write("zones/b.zone", b("b"));
        s.write("zones/a.zone", b("a"));
        s.write("keys/host", b("k"));
        Files.writeString(dir.resolve("zones/.atoll-tmp-123"), "crash leftover");
        assertEquals(List.of("keys/host", "zones/a.zone", "zones/b.zone"), s.list(""));
        assertEquals(List.of("zones/a.zone", "zones/b.zone"), s.list("zones/"));
        assertEquals(List.of(), s.list("nothing/"));
    }

    @Test
    void badKeysAreRefusedBeforeTouchingDisk() throws Exception {
        DirectoryStore s = DirectoryStore.open(dir.resolve("root"));
        Files.writeString(dir.resolve("outside"), "secret");
        for (String bad : List.of("../outside", "/etc/passwd", "a//b", "", "a/./b")) {
            assertThrows(IllegalArgumentException.class, () -> s.read(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> s.write(bad, b("x")), bad);
            assertThrows(IllegalArgumentException.class, () -> s.append(bad, b("x")), bad);
            assertThrows(IllegalArgumentException.class, () -> s.delete(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> s.exists(bad), bad);
        }
        assertEquals("secret", Files.readString(dir.resolve("outside")));
        assertThrows(IllegalArgumentException.class, () -> s.list("../"));
    }
}
