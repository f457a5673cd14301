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

    /**
     * The guards on the prepared path allocate nothing either: a client cookie answered with a
     * fresh server cookie, a valid server cookie echoed, an invalid one (the IPv4 client's cookie
     * sent from IPv6) answered with a fresh one, and response rate limiting sending,
     * slipping and dropping (a rate of 3 a second on a fake clock that never moves).
     */
    @Test
    void cookiesAndRateLimitingAllocateNothing() throws Exception {
        List<atoll.dns.zone.Zone> zones = List.of(ZoneFileParser.parse(AnswerOptionsTest.ZONE, "test.zone",
                atoll.dns.wire.Name.parse("example.com.")));
        atoll.testkit.FakeClock clock = new atoll.testkit.FakeClock();
        QueryEngineTest.TestMetrics metrics = new QueryEngineTest.TestMetrics();
        QueryEngine engine = new QueryEngine(new ZoneSet(zones, AnswerStyle.MINIMAL), EdnsSettings.of(1232), metrics,
                new atoll.dns.guard.Guards(new atoll.dns.guard.ServerCookies(GuardsTest.SECRET, clock), false,
                        new atoll.dns.guard.RateLimiter(clock, 3, 2, 4096, 24, 56)));
        atoll.dns.guard.Peer v4 = GuardsTest.peer("192.0.2.1");
        atoll.dns.guard.Peer v6 = GuardsTest.peer("2001:db8::1");
        MessageWriter writer = new MessageWriter();
        MemorySegment out = MemorySegment.ofArray(new byte[65535]);
        // A valid server cookie, as the engine hands it out.
        MemorySegment first = MemorySegment.ofArray(GuardsTest.query("www.example.com.",
                new org.xbill.DNS.CookieOption(GuardsTest.CLIENT)).toWire());
        int n = engine.respond(first, Transport.UDP, out, writer, v4.from(v4.address()));
        assertTrue(n > 0);
        byte[] server = new org.xbill.DNS.Message(out.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                .getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.COOKIE).stream()
                .map(o -> ((org.xbill.DNS.CookieOption) o).getServerCookie().orElseThrow()).findFirst().orElseThrow();
        List<MemorySegment> queries = List.of(
                first,
                MemorySegment.ofArray(GuardsTest.query("www.example.com.",
                        new org.xbill.DNS.CookieOption(GuardsTest.CLIENT, server)).toWire()),
                MemorySegment.ofArray(GuardsTest.query("www.example.com.").toWire()),
                MemorySegment.ofArray(GuardsTest.query("nope.example.com.",
                        new org.xbill.DNS.CookieOption(GuardsTest.CLIENT)).toWire()));
        for (MemorySegment q : queries) {
            assertTrue(writer.queryView().wrap(q));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long answered = 0;
        for (int i = 0; i < WARM_UP; i++) {
            atoll.dns.guard.Peer p = i % 3 == 0 ? v6 : v4;
            answered += engine.respond(queries.get(i % queries.size()), Transport.UDP, out, writer, p.from(p.address()));
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) {
            atoll.dns.guard.Peer p = i % 3 == 0 ? v6 : v4;
            answered += engine.respond(queries.get(i % queries.size()), Transport.UDP, out, writer, p.from(p.address()));
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(answered != 0);
        // Every path was taken: cookies minted and echoed, responses sent, slipped and dropped.
        assertTrue(metrics.value("dns.cookie.client-only") > 0 && metrics.value("dns.cookie.valid") > 0
                && metrics.value("dns.cookie.invalid") > 0);
        assertTrue(metrics.value("dns.rrl.slipped") > 0 && metrics.value("dns.rrl.dropped") > 0);
        assertTrue(allocated < MEASURED, "guards: " + allocated + " bytes for " + MEASURED + " queries");
    }
}
