package atoll.dns.wire;

/**
 * The octets given to {@link MessageReader} are not a well-formed DNS message. A server answers
 * such a query with RCODE FORMERR (RFC 1035 §4.1.1: "The name server was unable to interpret the
 * query"), reusing the ID and OPCODE that {@link Header#peek} can still recover.
 *
 * <p>This is the parser's only declared exception: for any input, {@code MessageReader.parse}
 * returns a {@link Message} or throws this.
 */
public final class DnsFormatException extends Exception {
    private final int offset;

    public DnsFormatException(String message, int offset) {
        // No stack trace: malformed input is routine for a server (scans, garbage, attacks) and
        // the offset says where the problem is; a stack walk per bad datagram would be wasted.
        super(message + " (at octet " + offset + ")", null, false, false);
        this.offset = offset;
    }

    /** Offset in the message where the problem was found (for logs). */
    public int offset() {
        return offset;
    }
}
