package atoll.dns.wire;

import java.util.List;

/**
 * Records made ready, at zone load, to be written into responses without allocating: each RDATA
 * that holds no compressible name (RFC 3597 §4: A, AAAA, TXT, SRV, unknown types...) is encoded
 * once here, so {@link MessageWriter#writeAnswer} copies its octets; the RDATA of NS, CNAME, PTR,
 * SOA and MX is compressed per message (RFC 1035 §4.1.4) and stays in {@link Rdata} form.
 * Immutable.
 */
public final class PreparedRecords {
    /** No records. */
    public static final PreparedRecords EMPTY = new PreparedRecords(List.of());

    private final List<ResourceRecord> records;
    private final byte[][] literalRdata;

    public PreparedRecords(List<ResourceRecord> records) {
        this.records = List.copyOf(records);
        this.literalRdata = new byte[this.records.size()][];
        for (int i = 0; i < literalRdata.length; i++) {
            literalRdata[i] = switch (this.records.get(i).rdata()) {
                case Rdata.NS n -> null;
                case Rdata.CNAME c -> null;
                case Rdata.PTR p -> null;
                case Rdata.SOA s -> null;
                case Rdata.MX m -> null;
                // The writer's own encoding, so the octets are those of the general path.
                default -> MessageWriter.literalRdata(this.records.get(i));
            };
        }
    }

    /** The records, in the order they are written. */
    public List<ResourceRecord> records() {
        return records;
    }

    public int size() {
        return literalRdata.length;
    }

    ResourceRecord record(int i) {
        return records.get(i);
    }

    /** The encoded RDATA of record {@code i}, or null if it holds a name compressed per message. */
    byte[] literal(int i) {
        return literalRdata[i];
    }
}
