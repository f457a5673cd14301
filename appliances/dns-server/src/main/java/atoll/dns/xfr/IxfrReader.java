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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of an IXFR over TCP (RFC 1995 §4): takes the response messages one at a time
 * and applies what they carry to the zone this server holds. Three answers are possible: the
 * current SOA alone (nothing newer), the whole zone as an AXFR sends it (the second record is not
 * the client's SOA), or the differences: for each version, the old SOA, the records deleted, the
 * new SOA, the records added; the new SOA again ends it. Sans-I/O; anything inconsistent (a
 * deleted record this server does not have, a version that does not follow) is a
 * {@link TransferReader.TransferException}, and the caller falls back to AXFR.
 */
public final class IxfrReader {
    private enum State { FIRST, SECOND, DELETE, ADD, AXFR, DONE }

    /** Identity of a record in the zone: owner, TYPE, CLASS and RDATA (not the TTL, RFC 1995 §4). */
    private record Key(Name name, int type, int rrClass, Rdata rdata) {
        static Key of(ResourceRecord rr) {
            return new Key(rr.name(), rr.type(), rr.rrClass(), rr.rdata());
        }
    }

    private final Zone current;
    private final long currentSerial;
    private final int id;
    private final Tsig.StreamVerifier verifier;
    private final Map<Key, ResourceRecord> records = new LinkedHashMap<>();
    private final List<ResourceRecord> full = new ArrayList<>();
    private ResourceRecord newSoa;
    private long running;
    private State state = State.FIRST;
    private boolean incremental;
    private int messages;
    private int changes;

    public IxfrReader(Zone current, int id, TsigKey key, byte[] requestMac) {
        this.current = current;
        this.currentSerial = ((Rdata.SOA) current.soa().rdata()).serial();
        this.id = id;
        this.verifier = key == null ? null : new Tsig.StreamVerifier(key, requestMac);
    }

    private Name origin() {
        return current.origin();
    }

    /** Takes the next message; returns true once the answer is complete. */
    public boolean accept(byte[] wire, long now) throws TransferReader.TransferException {
        if (state == State.DONE) {
            throw new TransferReader.TransferException("a message after the end of the IXFR");
        }
        messages++;
        if (verifier != null) {
            String problem = verifier.verify(wire, now);
            if (problem != null) {
                throw new TransferReader.TransferException("TSIG: " + problem);
            }
        }
        Message m;
        try {
            m = MessageReader.parse(wire);
        } catch (DnsFormatException e) {
            throw new TransferReader.TransferException("malformed message " + messages + ": " + e.getMessage());
        }
        if (m.header().id() != id || !m.header().qr()) {
            throw new TransferReader.TransferException("message " + messages + " is not a response to the IXFR query");
        }
        if (m.rcode() != Rcode.NOERROR) {
            throw new TransferReader.TransferException("the primary answered " + Rcode.name(m.rcode()));
        }
        for (ResourceRecord rr : m.answers()) {
            record(rr);
        }
        if (state == State.SECOND && messages == 1 && m.answers().size() == 1
                && !Serial.newer(((Rdata.SOA) newSoa.rdata()).serial(), currentSerial)) {
            // RFC 1995 §2: the current SOA alone, the client being up to date.
            state = State.DONE;
        }
        if (state == State.DONE && verifier != null && !verifier.complete()) {
            throw new TransferReader.TransferException("TSIG: the last message is not signed");
        }
        return state == State.DONE;
    }

    private void record(ResourceRecord rr) throws TransferReader.TransferException {
        boolean soa = rr.type() == RRType.SOA && rr.name().equals(origin()) && rr.rdata() instanceof Rdata.SOA;
        long serial = soa ? ((Rdata.SOA) rr.rdata()).serial() : -1;
        long last = newSoa == null ? -1 : ((Rdata.SOA) newSoa.rdata()).serial();
        switch (state) {
            case FIRST -> {
                if (!soa) {
                    throw new TransferReader.TransferException("the IXFR answer does not start with the SOA");
                }
                newSoa = rr;
                state = State.SECOND;
            }
            case SECOND -> {
                if (soa && serial == currentSerial) {
                    // RFC 1995 §4: differences follow, starting at the client's version.
                    incremental = true;
                    List<ResourceRecord> all = AxfrWriter.records(current);
                    for (ResourceRecord r : all.subList(1, all.size() - 1)) {
                        records.put(Key.of(r), r);
                    }
                    running = serial;
                    state = State.DELETE;
                } else {
                    // RFC 1995 §4: a whole zone, as AXFR sends it.
                    full.add(newSoa);
                    state = State.AXFR;
                    record(rr);
                }
            }
            case AXFR -> {
                if (soa) {
                    if (!rr.rdata().equals(newSoa.rdata())) {
                        throw new TransferReader.TransferException("the closing SOA differs from the opening one");
                    }
                    state = State.DONE;
                } else {
                    bound();
                    full.add(rr);
                }
            }
            case DELETE -> {
                if (soa) {
                    if (!Serial.newer(serial, running)) {
                        throw new TransferReader.TransferException("IXFR version " + serial + " does not follow " + running);
                    }
                    running = serial;
                    state = State.ADD;
                } else if (records.remove(Key.of(rr)) == null) {
                    throw new TransferReader.TransferException("IXFR deletes " + rr.name() + " " + RRType.name(rr.type())
                            + ", which this server does not have");
                } else {
                    changes++;
                }
            }
            case ADD -> {
                if (soa) {
                    if (serial == last && running == last) {
                        state = State.DONE; // RFC 1995 §4: the new SOA again ends the answer.
                    } else if (serial == running) {
                        state = State.DELETE; // the next version's differences
                    } else {
                        throw new TransferReader.TransferException("IXFR version " + serial + " where " + running
                                + " was expected");
                    }
                } else {
                    bound();
                    records.put(Key.of(rr), rr);
                    changes++;
                }
            }
            case DONE -> throw new TransferReader.TransferException("records after the end of the IXFR");
        }
    }

    private void bound() throws TransferReader.TransferException {
        if (records.size() + full.size() >= TransferReader.MAX_RECORDS) {
            throw new TransferReader.TransferException("more than " + TransferReader.MAX_RECORDS + " records");
        }
    }

    /** Whether the primary sent differences (rather than the whole zone, or nothing). */
    public boolean incremental() {
        return incremental;
    }

    /** Records added or deleted by the differences. */
    public int changes() {
        return changes;
    }

    /** The zone after the answer: the current one when nothing was newer. */
    public Zone zone(String source) throws TransferReader.TransferException {
        if (state != State.DONE) {
            throw new TransferReader.TransferException("the IXFR ended early");
        }
        List<ResourceRecord> all;
        if (incremental) {
            all = new ArrayList<>(records.size() + 1);
            all.add(newSoa);
            all.addAll(records.values());
        } else if (!full.isEmpty()) {
            all = full;
        } else {
            return current;
        }
        try {
            return Zone.fromRecords(origin(), all, source);
        } catch (ZoneFileException e) {
            throw new TransferReader.TransferException("the zone after the IXFR is not valid: " + e.getMessage());
        }
    }
}
