package atoll.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Jazzer target for {@link QueryView}: on any octets {@code wrap} returns without throwing, and
 * whatever it accepts {@link MessageReader} parses to the same header, question and OPT, so the
 * allocation-free path never answers a message the general path would have refused.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/atoll/dns/wire/QueryViewFuzzTestInputs/wrapAgreesWithReader/}; with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes from them.
 */
class QueryViewFuzzTest {

    @FuzzTest
    void wrapAgreesWithReader(byte[] data) {
        QueryView view = new QueryView();
        if (!view.wrap(MemorySegment.ofArray(data))) {
            return;
        }
        Message m = Wire.parseOrFormErr(data);
        assertNotNull(m, "the view accepted what the reader refuses");
        assertEquals(m.header().id(), view.id());
        assertEquals(m.header().qr(), view.qr());
        assertEquals(m.header().opcode(), view.opcode());
        assertEquals(m.header().rd(), view.rd());
        assertEquals(m.header().cd(), view.cd());
        assertEquals(1, m.questions().size());
        Question q = m.questions().getFirst();
        assertEquals(q.type(), view.qtype());
        assertEquals(q.qclass(), view.qclass());
        assertEquals(q.name().wireLength(), view.qnameLength());
        assertEquals(q.name().labelCount(), view.labelCount());
        for (int i = 0; i < view.labelCount(); i++) {
            int at = view.labelStart(i);
            assertEquals(q.name().labelLength(i), view.byteAt(at));
            for (int j = 0; j < q.name().labelLength(i); j++) {
                assertEquals(Byte.toUnsignedInt(q.name().labelByte(i, j)), view.byteAt(at + 1 + j));
            }
        }
        assertEquals(m.edns() != null, view.hasOpt());
        if (m.edns() != null) {
            assertEquals(m.edns().udpPayloadSize(), view.optUdpPayloadSize());
            assertEquals(m.edns().version(), view.optVersion());
            assertEquals(m.edns().dnssecOk(), view.optDnssecOk());
        }
        assertEquals(data.length, view.length());
    }
}
