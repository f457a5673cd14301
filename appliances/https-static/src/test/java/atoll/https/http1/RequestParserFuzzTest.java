package atoll.https.http1;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Jazzer target for {@link RequestParser}: any octets give Incomplete, Parsed (consuming no more
 * than was given, and the same result when parsed again from any longer prefix's cut of itself)
 * or Malformed with a 4xx/5xx status — never an exception. Plain {@code mvn test} replays the
 * seeds in {@code src/test/resources/atoll/https/http1/RequestParserFuzzTestInputs/parse/};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class RequestParserFuzzTest {
    private static final RequestParser PARSER = new RequestParser(new Limits(256, 1024, 16));

    @FuzzTest
    void parse(byte[] data) {
        ParseResult r = PARSER.parse(MemorySegment.ofArray(data));
        switch (r) {
            case ParseResult.Parsed p -> {
                if (p.consumed() <= 0 || p.consumed() > data.length) {
                    throw new AssertionError("consumed " + p.consumed() + " of " + data.length);
                }
                // What follows the head does not change the head.
                ParseResult again = PARSER.parse(MemorySegment.ofArray(data).asSlice(0, p.consumed()));
                if (!(again instanceof ParseResult.Parsed q) || !q.head().equals(p.head())) {
                    throw new AssertionError("head depends on octets after it");
                }
            }
            case ParseResult.Malformed m -> {
                if (m.status() < 400 || m.status() > 599) {
                    throw new AssertionError("status " + m.status());
                }
            }
            case ParseResult.Incomplete i -> {
                if (data.length > 256 + 1024 + 4) { // skipped leading empty lines + head limit
                    throw new AssertionError("incomplete beyond the header limit: " + data.length);
                }
            }
        }
    }
}
