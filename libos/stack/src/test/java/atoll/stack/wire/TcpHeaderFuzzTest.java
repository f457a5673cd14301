package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Jazzer target for {@link TcpHeader#check}. The input's checksum is fixed up first (for inputs
 * of 18 bytes or more) so that the fuzzer reaches the option parser; then either a verdict other
 * than OK comes back, or every accessor works and the record re-emits to a segment that checks
 * to the same record. Seeds: {@code TcpHeaderFuzzTestInputs/check/}.
 */
class TcpHeaderFuzzTest {
    private static final int SRC = 0xc0000201;
    private static final int DST = 0xc0000202;

    @FuzzTest
    void check(byte[] data) throws MalformedPacketException {
        if (data.length >= 18) {
            TcpHeaderTest.fixChecksum(data, SRC, DST);
        }
        TcpHeader h = new TcpHeader();
        Verdict v = h.check(MemorySegment.ofArray(data), 0, data.length, SRC, DST);
        if (v != Verdict.OK) {
            return;
        }
        assertTrue(h.headerLength() >= TcpHeader.MIN_LENGTH && h.headerLength() <= data.length);
        assertEquals(data.length, h.headerLength() + h.payloadLength());
        for (int i = 0; i < h.sackBlockCount(); i++) {
            h.sackLeft(i);
            h.sackRight(i);
        }
        TcpRepr r;
        try {
            r = TcpRepr.of(h);
        } catch (IllegalArgumentException tooManyOptions) {
            // Legal on the wire but not emittable in our layout (e.g. 4 SACK blocks + timestamps
            // packed without padding): nothing more to check.
            return;
        }
        byte[] payload = MemorySegment.ofArray(data).asSlice(h.payloadOffset(), h.payloadLength())
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] again = r.toBytes(payload, SRC, DST);
        assertEquals(r, TcpRepr.parse(MemorySegment.ofArray(again), 0, again.length, SRC, DST));
    }
}
