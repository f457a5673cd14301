package atoll.dns.wire;

/** OPCODE values (RFC 1035 §4.1.1; RFC 1996; RFC 2136). */
public final class Opcode {
    private Opcode() {}

    public static final int QUERY = 0;
    public static final int IQUERY = 1; // obsolete, RFC 3425
    public static final int STATUS = 2;
    public static final int NOTIFY = 4;
    public static final int UPDATE = 5;
}
