package atoll.dns.wire;

/** RCODE values (RFC 1035 §4.1.1; RFC 6891 §9 for the extended ones). */
public final class Rcode {
    private Rcode() {}

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    public static final int YXDOMAIN = 6; // RFC 2136 §2.2; RFC 6672 §2.2 for a DNAME substitution too long
    public static final int NOTAUTH = 9; // RFC 2136
    public static final int NOTZONE = 10; // RFC 2136
    public static final int BADVERS = 16; // RFC 6891 §9: needs the OPT record's extended RCODE

    public static String name(int rcode) {
        return switch (rcode) {
            case NOERROR -> "NOERROR";
            case FORMERR -> "FORMERR";
            case SERVFAIL -> "SERVFAIL";
            case NXDOMAIN -> "NXDOMAIN";
            case NOTIMP -> "NOTIMP";
            case REFUSED -> "REFUSED";
            case YXDOMAIN -> "YXDOMAIN";
            case NOTAUTH -> "NOTAUTH";
            case NOTZONE -> "NOTZONE";
            case BADVERS -> "BADVERS";
            default -> "RCODE" + rcode;
        };
    }
}
