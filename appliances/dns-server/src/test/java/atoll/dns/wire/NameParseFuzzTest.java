package atoll.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for {@link Name#parse}: any string gives a name or IllegalArgumentException; a name
 * that parses keeps RFC 1035 §2.3.4's limits (labels of 63 octets or less, 255 octets in all on the
 * wire) and reads back from its own presentation form unchanged.
 *
 * <p>The input octets are decoded as UTF-8, so a seed is the name's text. Plain {@code mvn test}
 * replays {@code src/test/resources/atoll/dns/wire/NameParseFuzzTestInputs/parseRoundTrip/}; with
 * {@code JAZZER_FUZZ=1} (and {@code -Dtest=NameParseFuzzTest#parseRoundTrip}) Jazzer fuzzes.
 */
class NameParseFuzzTest {

    @FuzzTest
    void parseRoundTrip(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Name name;
        try {
            name = Name.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertTrue(name.wireLength() <= Name.MAX_WIRE, () -> "wire length " + name.wireLength());
        int wire = 1; // the root label
        for (int i = 0; i < name.labelCount(); i++) {
            int len = name.labelLength(i);
            assertTrue(len >= 1 && len <= Name.MAX_LABEL, () -> "label length " + len);
            wire += 1 + len;
        }
        assertEquals(wire, name.wireLength());
        String presentation = name.toString();
        assertTrue(presentation.endsWith("."), presentation);
        assertEquals(name, Name.parse(presentation), () -> "presentation round trip of " + presentation);
        assertEquals(presentation, Name.parse(presentation).toString());
        assertEquals(name.toLowerCase(), Name.parse(presentation.toLowerCase(java.util.Locale.ROOT)).toLowerCase());
    }
}
