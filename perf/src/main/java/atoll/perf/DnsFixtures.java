package atoll.perf;

import atoll.dns.QueryEngine;
import atoll.dns.wire.Edns;
import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Name;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import atoll.libos.metrics.SimpleMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** The data every DNS benchmark works on: the appliance's embedded default zone and prebuilt queries. */
final class DnsFixtures {
    /** The dns-server jar's embedded default zone (the image serves it when no zone is configured). */
    static final String ZONE_RESOURCE = "atoll-data/zones/example.com.zone";
    static final Name ORIGIN = Name.parse("example.com.");
    /** The appliance's default {@code edns.udp-size} (its conf/dns-server.conf). */
    static final int EDNS_UDP_SIZE = 1232;
    /** What a typical resolver offers (the DNS Flag Day 2020 value), as dig and Unbound send. */
    static final int CLIENT_EDNS_SIZE = 1232;
    /** Large enough for any response: RFC 1035 §4.2.2's TCP maximum. */
    static final int OUT_CAPACITY = MessageWriter.MAX_LIMIT;

    private DnsFixtures() {}

    /** The zone text, read as a resource from the dns-server jar on the class path. */
    static String zoneText() {
        try (InputStream in = QueryEngine.class.getClassLoader().getResourceAsStream(ZONE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ZONE_RESOURCE + " not found on the class path (dns-server jar missing?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the benchmarks add to the embedded zone, so that every kind of answer has a name: a
     * delegation with glue (the referral) and a wildcard. perf/dns-compare adds the same lines.
     */
    static final String EXTRA = """
            sub     IN  NS   ns.sub
            ns.sub  IN  A    192.0.2.99
            *.wild  IN  A    192.0.2.77
            """;

    /**
     * An engine over the embedded zone plus {@link #EXTRA}, as the appliance builds it with its
     * default configuration.
     */
    static QueryEngine engine() {
        try {
            var zone = ZoneFileParser.parse(zoneText() + EXTRA, ZONE_RESOURCE, ORIGIN);
            return new QueryEngine(ZoneSet.of(zone), EDNS_UDP_SIZE, new SimpleMetrics());
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the engine over " + ZONE_RESOURCE, e);
        }
    }

    /** A standard query (RD set, as a stub sends it), with or without an EDNS OPT record. */
    static Message query(int id, String qname, int qtype, boolean edns) {
        return Message.query(Header.query(id, Opcode.QUERY, true),
                new Question(Name.parse(qname), qtype, RRClass.IN),
                edns ? Edns.of(CLIENT_EDNS_SIZE, false) : null);
    }

    /** {@code message} encoded into a segment of exactly its length, allocated in {@code arena}. */
    static MemorySegment offHeap(Arena arena, Message message) {
        byte[] wire = MessageWriter.toBytes(message);
        MemorySegment seg = arena.allocate(wire.length);
        MemorySegment.copy(MemorySegment.ofArray(wire), 0, seg, 0, wire.length);
        return seg;
    }

    static MemorySegment positiveQuery(Arena arena) {
        return offHeap(arena, query(0x1234, "www.example.com.", RRType.A, false));
    }

    static MemorySegment nxdomainQuery(Arena arena) {
        return offHeap(arena, query(0x2345, "nosuchname.example.com.", RRType.A, false));
    }

    static MemorySegment ednsQuery(Arena arena) {
        return offHeap(arena, query(0x3456, "www.example.com.", RRType.A, true));
    }
}
