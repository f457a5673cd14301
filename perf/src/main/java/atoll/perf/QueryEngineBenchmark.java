package atoll.perf;

import atoll.dns.QueryEngine;
import atoll.dns.Transport;
import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The DNS appliance's hot path without I/O: {@link QueryEngine#respond} from query octets in an
 * off-heap segment to response octets in another, over the appliance's embedded default zone
 * (example.com). What the UDP service does per datagram, minus the socket. Run with
 * {@code -prof gc} for the allocation per query (DESIGN §10).
 *
 * <p>Each benchmark thread has its own {@link MessageWriter} and output segment, reused across
 * invocations, as the appliance's event loop does; the engine and the queries are shared.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueryEngineBenchmark {

    /** Shared, read-only: the engine and the three prebuilt queries. */
    @State(Scope.Benchmark)
    public static class Engine {
        QueryEngine engine;
        MemorySegment positive;
        MemorySegment nxdomain;
        MemorySegment edns;
        MemorySegment referral;
        MemorySegment wildcard;
        private Arena arena;

        @Setup(Level.Trial)
        public void setUp() throws DnsFormatException {
            engine = DnsFixtures.engine();
            arena = Arena.ofShared();
            positive = DnsFixtures.positiveQuery(arena);
            nxdomain = DnsFixtures.nxdomainQuery(arena);
            edns = DnsFixtures.ednsQuery(arena);
            referral = DnsFixtures.offHeap(arena, DnsFixtures.query(0x3456, "host.sub.example.com.", RRType.A, false));
            wildcard = DnsFixtures.offHeap(arena, DnsFixtures.query(0x4567, "any.wild.example.com.", RRType.A, false));
            // Measure what we mean to measure: each query gets the answer its name says (a check
            // of the fixture, not of speed).
            check("positive", positive, Rcode.NOERROR, false);
            check("nxdomain", nxdomain, Rcode.NXDOMAIN, false);
            check("edns", edns, Rcode.NOERROR, true);
            check("referral", referral, Rcode.NOERROR, false);
            check("wildcard", wildcard, Rcode.NOERROR, false);
        }

        private void check(String what, MemorySegment query, int rcode, boolean withEdns)
                throws DnsFormatException {
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment out = scratch.allocate(DnsFixtures.OUT_CAPACITY);
                int n = engine.respond(query, Transport.UDP, out, new MessageWriter());
                if (n <= 0) {
                    throw new IllegalStateException(what + ": no response");
                }
                Message r = MessageReader.parse(out.asSlice(0, n));
                boolean answered = rcode != Rcode.NOERROR || !r.answers().isEmpty()
                        || (!r.authorities().isEmpty() && !r.header().aa()); // a referral
                if (r.rcode() != rcode || !answered || (r.edns() != null) != withEdns) {
                    throw new IllegalStateException(what + ": unexpected response\n" + r);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Per benchmark thread: the writer (it keeps compression tables) and the output buffer. */
    @State(Scope.Thread)
    public static class Caller {
        MessageWriter writer;
        MemorySegment out;
        private Arena arena;

        @Setup(Level.Trial)
        public void setUp() {
            writer = new MessageWriter();
            arena = Arena.ofShared();
            out = arena.allocate(DnsFixtures.OUT_CAPACITY);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** A for www.example.com over UDP, no EDNS: one answer record. */
    @Benchmark
    public int positive(Engine e, Caller c) {
        return e.engine.respond(e.positive, Transport.UDP, c.out, c.writer);
    }

    /** A for a name that does not exist: NXDOMAIN with the SOA in the authority section. */
    @Benchmark
    public int nxdomain(Engine e, Caller c) {
        return e.engine.respond(e.nxdomain, Transport.UDP, c.out, c.writer);
    }

    /** A for www.example.com with an EDNS OPT record (payload 1232): the answer plus an OPT. */
    @Benchmark
    public int edns(Engine e, Caller c) {
        return e.engine.respond(e.edns, Transport.UDP, c.out, c.writer);
    }

    /** A for a name below the zone cut sub.example.com: a referral, NS in authority, glue. */
    @Benchmark
    public int referral(Engine e, Caller c) {
        return e.engine.respond(e.referral, Transport.UDP, c.out, c.writer);
    }

    /** A for any.wild.example.com, synthesized from *.wild.example.com (RFC 4592). */
    @Benchmark
    public int wildcard(Engine e, Caller c) {
        return e.engine.respond(e.wildcard, Transport.UDP, c.out, c.writer);
    }
}
