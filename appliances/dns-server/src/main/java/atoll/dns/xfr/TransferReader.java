package atoll.dns.xfr;

import atoll.dns.tsig.Tsig;
import atoll.dns.tsig.TsigKey;
import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of an AXFR (RFC 5936 §2.2): takes the response messages one at a time and
 * says when the transfer is complete (the SOA seen again), then builds the zone with the same
 * checks a zone file gets. Sans-I/O; anything wrong is a {@link TransferException} and the caller
 * keeps its old data. Bounded: a hostile primary cannot make it hold more than
 * {@link #MAX_RECORDS} records.
 */
public final class TransferReader {
    /** A bound on what one transfer may make this server hold (memory, see README "Memory"). */
    public static final int MAX_RECORDS = 2_000_000;

    /** The transfer cannot be used. */
    public static final class TransferException extends Exception {
        public TransferException(String message) {
            super(message);
        }
    }

    private final Name origin;
    private final int id;
    private final Tsig.StreamVerifier verifier;
    private final List<ResourceRecord> records = new ArrayList<>();
    private Rdata.SOA soa;
    private boolean done;
    private int messages;

    /**
     * @param id the ID of the AXFR query (RFC 5936 §2.2.1: copied into every response message)
     * @param key the TSIG key the query was signed with, or null
     * @param requestMac the MAC of the signed query, or null
     */
    public TransferReader(Name origin, int id, TsigKey key, byte[] requestMac) {
        this.origin = origin;
        this.id = id;
        this.verifier = key == null ? null : new Tsig.StreamVerifier(key, requestMac);
    }

    /** Takes the next message; returns true once the transfer is complete. */
    public boolean accept(byte[] wire, long now) throws TransferException {
        if (done) {
            throw new TransferException("a message after the closing SOA");
        }
        messages++;
        if (verifier != null) {
            String problem = verifier.verify(wire, now);
            if (problem != null) {
                throw new TransferException("TSIG: " + problem);
            }
        }
        Message m;
        try {
            m = MessageReader.parse(wire);
        } catch (DnsFormatException e) {
            throw new TransferException("malformed message " + messages + ": " + e.getMessage());
        }
        if (m.header().id() != id || !m.header().qr()) {
            throw new TransferException("message " + messages + " is not a response to the transfer query");
        }
        if (m.rcode() != Rcode.NOERROR) {
            throw new TransferException("the primary answered " + Rcode.name(m.rcode()));
        }
        for (ResourceRecord rr : m.answers()) {
            if (done) {
                throw new TransferException("records after the closing SOA");
            }
            if (soa == null) {
                // RFC 5936 §2.2: "The first ... RR transmitted must be the SOA record of the zone."
                if (!(rr.rdata() instanceof Rdata.SOA s) || !rr.name().equals(origin)) {
                    throw new TransferException("the transfer does not start with the SOA of " + origin);
                }
                soa = s;
                records.add(rr);
                continue;
            }
            if (rr.type() == RRType.SOA && rr.name().equals(origin)) {
                // RFC 5936 §2.2: the SOA again ends the transfer.
                if (!rr.rdata().equals(soa)) {
                    throw new TransferException("the closing SOA differs from the opening one (the zone changed?)");
                }
                done = true;
                continue;
            }
            if (records.size() >= MAX_RECORDS) {
                throw new TransferException("more than " + MAX_RECORDS + " records");
            }
            records.add(rr);
        }
        if (done && verifier != null && !verifier.complete()) {
            // RFC 8945 §5.3.1: the last message of a signed stream must be signed.
            throw new TransferException("TSIG: the last message is not signed");
        }
        return done;
    }

    /** The zone transferred, checked as a zone file is ({@link Zone#fromRecords}). */
    public Zone zone(String source) throws TransferException {
        if (!done) {
            throw new TransferException("the transfer ended before the closing SOA");
        }
        try {
            return Zone.fromRecords(origin, records, source);
        } catch (ZoneFileException e) {
            throw new TransferException("the transferred zone is not valid: " + e.getMessage());
        }
    }

    /** The SOA serial of the zone being transferred (after the first record). */
    public long serial() {
        return soa == null ? -1 : soa.serial();
    }
}
