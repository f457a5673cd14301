package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.dns.wire.Name;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §8 "no exception but the declared one on any input": mutated master files, from a fixed
 * seed so a failure replays, must either parse or fail with a {@link ZoneFileException} carrying a
 * one-line message and a line number inside the file.
 */
class ZoneFileRobustnessTest {
    /** Fixed so every run mutates the same way; change it to explore further. */
    static final long SEED = 0x5eed_2035L;
    static final int ROUNDS = 10_000;

    /** Fragments that reach the parser's corners when spliced in. */
    static final List<String> PIECES = List.of("(", ")", "\"", "\\", "\\#", ";", "\n", " ", "\t", "@", ".",
            "..", "$ORIGIN", "$TTL", "$INCLUDE", "IN", "CH", "SOA", "NS", "A", "AAAA", "TXT", "MX", "SRV",
            "CNAME", "PTR", "TYPE65280", "\\# 0", "\\# 2 ab", "1h", "4294967296", "2147483648", "255", "256",
            "::", "1::2::3", "ffff:", "0", "\\065", "\\999", "*", "\u00e9", "\u4e2d", "\"\"", "a".repeat(70),
            "x.".repeat(130));

    @Test
    void mutatedZonesFailOnlyWithZoneFileException() {
        List<String> bases = List.of(ZoneTestSupport.resource("features.zone"),
                ZoneTestSupport.resource("example.com.zone"), ZoneFileParserTest.HEAD);
        SplittableRandom rnd = new SplittableRandom(SEED);
        int parsed = 0;
        int rejected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String base = bases.get(rnd.nextInt(bases.size()));
            StringBuilder sb = new StringBuilder(base);
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(sb.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.insert(at, PIECES.get(rnd.nextInt(PIECES.size())));
                    case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + rnd.nextInt(8)));
                    default -> sb.insert(at, (char) rnd.nextInt(128));
                }
            }
            String text = sb.toString();
            long lines = text.chars().filter(c -> c == '\n').count() + 1;
            try {
                ZoneFileParser.parse(text, "m.zone", Name.parse("example.com."));
                parsed++;
            } catch (ZoneFileException ex) {
                rejected++;
                assertTrue(ex.line() >= 1 && ex.line() <= lines, () -> "line " + ex.line() + " of " + lines);
                assertTrue(ex.getMessage().startsWith("m.zone:" + ex.line() + ": "), ex::getMessage);
                assertTrue(ex.getMessage().indexOf('\n') < 0, ex::getMessage);
            } catch (RuntimeException | Error ex) {
                fail("round " + round + ": " + ex + " for input:\n" + text, ex);
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the parser.
        assertTrue(parsed > 100 && rejected > 100, parsed + " parsed, " + rejected + " rejected");
    }
}
