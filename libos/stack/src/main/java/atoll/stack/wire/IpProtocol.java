package atoll.stack.wire;

/** IPv4 Protocol field values this stack knows (IANA "Assigned Internet Protocol Numbers"). */
public final class IpProtocol {
    private IpProtocol() {}

    /** RFC 792. */
    public static final int ICMP = 1;
    /** RFC 9293. */
    public static final int TCP = 6;
    /** RFC 768. */
    public static final int UDP = 17;
}
