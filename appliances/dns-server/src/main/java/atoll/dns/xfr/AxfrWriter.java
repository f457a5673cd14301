package atoll.dns.xfr;

import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Name;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.zone.Zone;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The messages of an AXFR response (RFC 5936 §2.2): the zone's SOA first, every other record of
 * the zone (glue and data below zone cuts included: RFC 5936 §3.1 "all records in the zone"),
 * then the SOA again, packed into as few messages of at most {@code budget} octets as fit,
 * names compressed (RFC 1035 §4.1.4). Produced one message at a time, so a large zone is never
 * held twice in memory. Sans-I/O: the caller frames and sends the octets.
 */
public final class AxfrWriter implements Iterator<byte[]> {
    /**
     * Octets per message: well under the 65535 of RFC 1035 §4.2.2, leaving room for a TSIG record
     * (RFC 8945) and keeping each message's compression table small.
     */
    public static final int DEFAULT_BUDGET = 16 * 1024;

    private final Zone zone;
    private final int id;
    private final Question question;
    private final int budget;
    private final Iterator<ResourceRecord> records;
    private ResourceRecord carried;
    private boolean firstMessage = true;
    private final MessageWriter writer = new MessageWriter();
    private final byte[] buffer = new byte[MessageWriter.MAX_LIMIT];

    /**
     * @param question the question to copy into the first message (RFC 5936 §2.2.1: "the question
     *     section MUST be copied" in the first message; later ones carry none, as §2.2.1 allows)
     * @param id the query's ID, copied into every message (RFC 5936 §2.2.1)
     */
    public AxfrWriter(Zone zone, int id, Question question, int budget) {
        this.zone = zone;
        this.id = id;
        this.question = question;
        this.budget = budget;
        this.records = records(zone).iterator();
    }

    /** The records of an AXFR of {@code zone} in the order they are sent: SOA, the rest, SOA. */
    public static List<ResourceRecord> records(Zone zone) {
        List<ResourceRecord> out = new ArrayList<>(zone.recordCount() + 1);
        ResourceRecord soa = zone.soa();
        // RFC 5936 §2.2: "The first and the last RR transmitted must be the SOA record of the zone."
        out.add(soa);
        for (Name name : zone.names()) {
            for (Map.Entry<Integer, List<ResourceRecord>> set : zone.node(name).entrySet()) {
                if (set.getKey() == RRType.SOA && name.equals(zone.origin())) {
                    continue;
                }
                out.addAll(set.getValue());
            }
        }
        out.add(soa);
        return out;
    }

    @Override
    public boolean hasNext() {
        return firstMessage || carried != null || records.hasNext();
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<Question> questions = firstMessage ? List.of(question) : List.of();
        int size = Header.LENGTH + (firstMessage ? question.name().wireLength() + 4 : 0);
        List<ResourceRecord> answer = new ArrayList<>();
        if (carried != null) {
            answer.add(carried);
            size += upperBound(carried);
            carried = null;
        }
        while (records.hasNext()) {
            ResourceRecord rr = records.next();
            int n = upperBound(rr);
            // Uncompressed length is an upper bound of the compressed one: what is packed always fits.
            if (!answer.isEmpty() && size + n > budget) {
                carried = rr;
                break;
            }
            answer.add(rr);
            size += n;
        }
        firstMessage = false;
        // RFC 5936 §2.2.1: ID copied, QR=1, OPCODE QUERY, AA=1; RD copied is allowed, TC clear.
        Header h = new Header(id, true, Opcode.QUERY, true, false, false, false, false, false, Rcode.NOERROR);
        Message m = new Message(h, questions, answer, List.of(), List.of(), null);
        MessageWriter.WriteResult r = writer.write(m, MemorySegment.ofArray(buffer), MessageWriter.MAX_LIMIT);
        if (r.truncated()) {
            // A single record above 65535 octets cannot exist on the wire (RDLENGTH is 16 bits).
            throw new IllegalStateException("an AXFR message of " + answer.size() + " records does not fit");
        }
        return Arrays.copyOf(buffer, r.length());
    }

    /** The zone being transferred. */
    public Zone zone() {
        return zone;
    }

    /** Octets of {@code rr} written without compression (RFC 1035 §3.2.1, §3.3). */
    static int upperBound(ResourceRecord rr) {
        return rr.name().wireLength() + 10 + switch (rr.rdata()) {
            case Rdata.A _ -> 4;
            case Rdata.AAAA _ -> 16;
            case Rdata.NS ns -> ns.nsdname().wireLength();
            case Rdata.CNAME c -> c.target().wireLength();
            case Rdata.PTR p -> p.target().wireLength();
            case Rdata.MX mx -> 2 + mx.exchange().wireLength();
            case Rdata.SRV srv -> 6 + srv.target().wireLength();
            case Rdata.SOA s -> s.mname().wireLength() + s.rname().wireLength() + 20;
            case Rdata.TXT t -> t.strings().stream().mapToInt(x -> 1 + x.length()).sum();
            case Rdata.Unknown u -> u.data().length;
        };
    }
}
