package atoll.libos.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileErrors#reason} on what the real file system throws: words, never class names or the path again. */
class FileErrorsTest {
    @TempDir Path dir;

    @Test
    void missingFile() {
        IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(dir.resolve("absent")));
        assertEquals("does not exist", FileErrors.reason(e));
    }

    @Test
    void directoryReadAsAFile() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(dir));
        assertEquals("is a directory", FileErrors.reason(e));
    }

    @Test
    void fileUsedAsADirectory() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(f.resolve("below")));
        assertEquals("not a directory", FileErrors.reason(e));
        assertEquals("is not a directory", FileErrors.reason(
                assertThrows(IOException.class, () -> DirectoryStore.existing(f))));
    }

    @Test
    void directoryStoresOwnReasonIsKept() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class, () -> DirectoryStore.existing(dir).read("sub"));
        assertEquals("is a directory", FileErrors.reason(e));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void permissionDenied() {
        // Write-only even for root: the kernel refuses reads of this sysctl.
        IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(Path.of("/proc/sys/vm/compact_memory")));
        assertEquals("permission denied", FileErrors.reason(e));
    }
}
