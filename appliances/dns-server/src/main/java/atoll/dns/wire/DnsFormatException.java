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
        super(message + " (at octet " + offset + ")");
        this.offset = offset;
    }

    /** Offset in the message where the problem was found (for logs). */
    public int offset() {
        return offset;
    }
}
