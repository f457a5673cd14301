package atoll.dns.wire;

import java.util.Objects;

/**
 * A resource record (RFC 1035 §3.2.1): owner name, TYPE (from the RDATA), CLASS, TTL and RDATA.
 *
 * @param ttl unsigned 32-bit seconds, as on the wire; RFC 2181 §8 says a value above 2^31-1 is to
 *     be treated as 0 by whoever uses it (a cache), so the codec keeps it as read
 */
public record ResourceRecord(Name name, int rrClass, long ttl, Rdata rdata) {
    public ResourceRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(rdata);
        if (rrClass < 0 || rrClass > 0xffff) {
            throw new IllegalArgumentException("class out of range: " + rrClass);
        }
        if (ttl < 0 || ttl > 0xffffffffL) {
            throw new IllegalArgumentException("TTL out of 32-bit range: " + ttl);
        }
    }

    public int type() {
        return rdata.type();
    }
}
