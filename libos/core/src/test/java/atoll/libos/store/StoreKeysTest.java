package atoll.libos.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreKeysTest {
    @Test
    void acceptsRelativePaths() {
        assertEquals("a", StoreKeys.check("a"));
        assertEquals("zones/example.com.zone", StoreKeys.check("zones/example.com.zone"));
        assertEquals(".hidden/x..y", StoreKeys.check(".hidden/x..y"));
    }

    @Test
    void refusesEscapesAndEmptySegments() {
        for (String bad : List.of("", "/etc/passwd", "..", "../x", "a/../b", "a/./b", ".", "a//b", "a/", "a\\b",
                "a\0b", "x/.atoll-tmp-123")) {
            assertThrows(IllegalArgumentException.class, () -> StoreKeys.check(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> StoreKeys.check(null));
    }
}
