package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.MessageWriter;
import atoll.dns.zone.AnswerStyle;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The queries issue 8 moved onto the prepared path — ANY (one RRset, RFC 8482), the name owning a
 * DNAME, answers in the non-minimal style, EDNS queries to a server with an NSID that did not ask
 * for it — are answered without allocating. Measured with the JVM's per-thread allocation counter,
 * so this asserts allocation, not time. (The JMH benchmarks in {@code perf/} measure the same with
 * {@code -prof gc}.)
 */
class PreparedPathAllocationTest {
    static final int WARM_UP = 20_000;
    static final int MEASURED = 20_000;

    @Test
    void theNewPreparedAnswersAllocateNothing() throws Exception {
        List<atoll.dns.zone.Zone> zones = List.of(ZoneFileParser.parse(AnswerOptionsTest.ZONE, "test.zone",
                atoll.dns.wire.Name.parse("example.com.")));
        EdnsSettings edns = new EdnsSettings(1232, "ns-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Duration.ofSeconds(10));
        for (AnswerStyle style : AnswerStyle.values()) {
            QueryEngine engine = new QueryEngine(new ZoneSet(zones, style), edns, new QueryEngineTest().metrics);
            Random rnd = new Random(7);
            List<MemorySegment> queries = List.of(
                    MemorySegment.ofArray(PreparedPathTest.query(rnd, "www.example.com.", 255, 0)),
                    MemorySegment.ofArray(PreparedPathTest.query(rnd, "example.com.", 255, 1)),
                    MemorySegment.ofArray(PreparedPathTest.query(rnd, "dn.example.com.", 39, 2)),
                    MemorySegment.ofArray(PreparedPathTest.query(rnd, "dn.example.com.", 1, 3)),
                    MemorySegment.ofArray(PreparedPathTest.query(rnd, "mail.example.com.", 1, 13)),
                    MemorySegment.ofArray(PreparedPathTest.query(rnd, "nope.example.com.", 1, 0)));
            MessageWriter writer = new MessageWriter();
            MemorySegment out = MemorySegment.ofArray(new byte[65535]);
            for (int i = 0; i < queries.size(); i++) {
                assertTrue(writer.queryView().wrap(queries.get(i)), "query " + i + " wraps");
                assertTrue(engine.respondPrepared(writer.queryView(), Transport.UDP, out, writer) > 0,
                        style + ": query " + i + " takes the prepared path");
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations per thread");
            long id = Thread.currentThread().threadId();
            long answered = 0;
            for (int i = 0; i < WARM_UP; i++) {
                answered += engine.respond(queries.get(i % queries.size()), Transport.UDP, out, writer);
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < MEASURED; i++) {
                answered += engine.respond(queries.get(i % queries.size()), Transport.UDP, out, writer);
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(answered > 0);
            // Zero per query; the bound leaves room only for the counter's own bookkeeping, far
            // below one object per query.
            assertTrue(allocated < MEASURED, style + ": " + allocated + " bytes for " + MEASURED + " queries");
        }
    }
}
