package atoll.dns.zone;

import atoll.dns.wire.Rcode;
import atoll.dns.wire.ResourceRecord;
import java.util.List;

/**
 * What an authoritative server puts in a response to one question: the RCODE, the AA bit and the
 * three record sections (RFC 1035 §4.1). The lists are immutable.
 *
 * @param rcode an {@link Rcode} value
 * @param authoritative the AA bit (RFC 1035 §4.1.1)
 */
public record LookupResult(int rcode, boolean authoritative, List<ResourceRecord> answer,
        List<ResourceRecord> authority, List<ResourceRecord> additional) {
    public LookupResult {
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    /** REFUSED, AA=0, all sections empty: the question is not for a zone served here. */
    public static LookupResult refused() {
        return new LookupResult(Rcode.REFUSED, false, List.of(), List.of(), List.of());
    }
}
