package atoll.build.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsWhatItWritesInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", "a\"b\\c\n\u0001");
        m.put("a", List.of(1, 2L, true, false));
        m.put("n", null);
        m.put("o", Map.of());
        String text = Json.write(m);
        assertEquals("{\"z\":\"a\\\"b\\\\c\\n\\u0001\",\"a\":[1,2,true,false],\"n\":null,\"o\":{}}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(List.of("z", "a", "n", "o"), List.copyOf(back.keySet()));
        assertEquals(m.get("z"), back.get("z"));
        assertEquals(List.of(BigDecimal.ONE, new BigDecimal(2), true, false), back.get("a"));
        assertEquals(text, Json.write(back));
    }

    @Test
    void readsWhitespaceEscapesAndNumbers() {
        Object v = Json.parse(" { \"k\" : [ -1.5e3 , \"\\u00e9\\/\" ] }\r\n");
        assertEquals(Map.of("k", List.of(new BigDecimal("-1.5e3"), "é/")), v);
    }

    @Test
    void refusesMalformedText() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1,\"a\":2}", "\"x", "tru", "1 2", "{a:1}", "\"\\q\"",
                "[".repeat(100) + "]".repeat(100))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON: "), e.getMessage());
        }
    }
}
