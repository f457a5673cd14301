package atoll.https.h2;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@link HpackDecoder}: any block decodes or throws HpackException, nothing
 * else, and the dynamic table never exceeds its size. Seeds in
 * {@code src/test/resources/atoll/https/h2/HpackDecoderFuzzTestInputs/decode/}.
 */
class HpackDecoderFuzzTest {
    @FuzzTest
    void decode(byte[] block) {
        HpackDecoder d = new HpackDecoder(4096, 16_384);
        try {
            d.decode(block);
            d.decode(block); // again, against the table the first pass left
        } catch (HpackException expected) {
            // a COMPRESSION_ERROR for the connection
        }
        if (d.tableSize() > 4096) {
            throw new AssertionError("dynamic table " + d.tableSize());
        }
    }
}
