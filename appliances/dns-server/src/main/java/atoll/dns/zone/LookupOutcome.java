package atoll.dns.zone;

import atoll.dns.wire.Rcode;
import atoll.dns.wire.PreparedRecords;

/**
 * What the authoritative lookup (RFC 1034 §4.3.2 step 3) found for one question, as a type rather
 * than an RCODE and an AA flag. {@link ZoneIndex} prepares every instance when the zone is loaded,
 * so answering a query picks one and allocates nothing. The lists are immutable.
 */
public sealed interface LookupOutcome {

    /** The RCODE of the response (RFC 1035 §4.1.1). */
    int rcode();

    /** The AA bit of the response (RFC 1035 §4.1.1). */
    boolean authoritative();

    /**
     * The RRset asked for, owned by the QNAME: the records' own owner is that of the node (the
     * QNAME itself, or the wildcard that synthesizes them, RFC 4592 §3.3.1) and is written as a
     * pointer to the question. {@code authority}: empty, or the apex NS RRset when answers are not
     * minimal ({@link AnswerStyle#WITH_AUTHORITY}). {@code additional}: the addresses of the names
     * the records point at (RFC 1035 §3.3.9, §3.3.11, RFC 2782).
     */
    record Answer(PreparedRecords answer, PreparedRecords authority, PreparedRecords additional)
            implements LookupOutcome {

        @Override
        public int rcode() {
            return Rcode.NOERROR;
        }

        @Override
        public boolean authoritative() {
            return true;
        }
    }

    /**
     * RFC 1034 §4.3.2 step 3b: the name is at or below a zone cut; the NS RRset of the cut and the
     * addresses of its servers that this zone holds (glue). Not authoritative.
     */
    record Referral(PreparedRecords ns, PreparedRecords glue) implements LookupOutcome {

        @Override
        public int rcode() {
            return Rcode.NOERROR;
        }

        @Override
        public boolean authoritative() {
            return false;
        }
    }

    /**
     * RFC 2308 §2.2: the name exists but has no RRset of the type asked; {@code authority} holds
     * the SOA alone, for negative caching (RFC 2308 §3).
     */
    record NoData(PreparedRecords authority) implements LookupOutcome {

        @Override
        public int rcode() {
            return Rcode.NOERROR;
        }

        @Override
        public boolean authoritative() {
            return true;
        }
    }

    /** RFC 2308 §2.1: the name does not exist (NXDOMAIN); {@code authority} holds the SOA alone. */
    record NoSuchName(PreparedRecords authority) implements LookupOutcome {

        @Override
        public int rcode() {
            return Rcode.NXDOMAIN;
        }

        @Override
        public boolean authoritative() {
            return true;
        }
    }

    /** Not a question for a zone served here (RFC 1035 §4.1.1 "for policy reasons"). */
    record Refused() implements LookupOutcome {
        /** The one instance. */
        public static final Refused INSTANCE = new Refused();

        @Override
        public int rcode() {
            return Rcode.REFUSED;
        }

        @Override
        public boolean authoritative() {
            return false;
        }
    }
}
