package atoll.perf;

import atoll.dns.QueryEngine;
import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.MessageWriter;
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
 * The DNS wire codec alone, on a typical response: what the engine answers to an EDNS query for
 * the A records of www.example.com over the embedded zone (header, question, one A record, OPT).
 * {@code parse} decodes it from an off-heap segment into a {@link Message}; {@code write} encodes
 * that message into a reused off-heap segment with a reused {@link MessageWriter} (name compression
 * included). Run with {@code -prof gc} for the allocation per message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MessageCodecBenchmark {
    private Arena arena;
    /** The response's octets, exactly its length. */
    private MemorySegment responseWire;
    /** The same response, decoded. */
    private Message response;
    private MessageWriter writer;
    private MemorySegment out;

    @Setup(Level.Trial)
    public void setUp() throws DnsFormatException {
        arena = Arena.ofShared();
        QueryEngine engine = DnsFixtures.engine();
        MemorySegment scratch = arena.allocate(DnsFixtures.OUT_CAPACITY);
        int n = engine.respond(DnsFixtures.ednsQuery(arena), atoll.dns.Transport.UDP, scratch, new MessageWriter());
        if (n <= 0) {
            throw new IllegalStateException("the engine gave no response to build the fixture from");
        }
        responseWire = arena.allocate(n);
        MemorySegment.copy(scratch, 0, responseWire, 0, n);
        response = MessageReader.parse(responseWire);
        if (response.answers().isEmpty()) {
            throw new IllegalStateException("fixture response has no answer:\n" + response);
        }
        writer = new MessageWriter();
        out = arena.allocate(DnsFixtures.OUT_CAPACITY);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Decodes the response from the wire. */
    @Benchmark
    public Message parse() throws DnsFormatException {
        return MessageReader.parse(responseWire);
    }

    /** Encodes the response onto the wire, within RFC 1035's 512-octet UDP limit (it fits). */
    @Benchmark
    public int write() {
        return writer.write(response, out, MessageWriter.UDP_LIMIT).length();
    }
}
