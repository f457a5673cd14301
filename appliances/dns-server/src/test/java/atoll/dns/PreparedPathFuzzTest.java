package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.dns.wire.MessageWriter;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Jazzer target: on any octets, over UDP and TCP, {@link QueryEngine#respond} (which takes the
 * allocation-free path when it can) writes exactly what the general path writes. Seeds in
 * {@code src/test/resources/atoll/dns/PreparedPathFuzzTestInputs/sameOctets/}.
 */
class PreparedPathFuzzTest {
    private static final QueryEngine ENGINE = engine();
    private final MessageWriter fast = new MessageWriter();
    private final MessageWriter general = new MessageWriter();
    private final MemorySegment a = MemorySegment.ofArray(new byte[65535]);
    private final MemorySegment b = MemorySegment.ofArray(new byte[65535]);

    private static QueryEngine engine() {
        try {
            return new PreparedPathTest().engine;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void sameOctets(byte[] data) {
        MemorySegment in = MemorySegment.ofArray(data);
        for (Transport t : Transport.values()) {
            int n = ENGINE.respond(in, t, a, fast);
            int m = ENGINE.respondGeneral(in, t, b, general);
            assertEquals(m, n);
            assertArrayEquals(b.asSlice(0, Math.max(m, 0)).toArray(ValueLayout.JAVA_BYTE),
                    a.asSlice(0, Math.max(n, 0)).toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
