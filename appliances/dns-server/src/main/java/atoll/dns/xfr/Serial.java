package atoll.dns.xfr;

/**
 * SOA serial numbers compared with RFC 1982 serial number arithmetic (SERIAL_BITS = 32, RFC 1035
 * §3.3.13): a serial is newer if it is ahead by less than 2^31, modulo 2^32.
 */
public final class Serial {
    private Serial() {}

    /** RFC 1982 §2: 2^(SERIAL_BITS - 1). */
    private static final long HALF = 1L << 31;
    private static final long MASK = 0xffffffffL;

    /**
     * RFC 1982 §3.2: s1 is less than s2 if (i1 &lt; i2 and i2 - i1 &lt; 2^31) or (i1 &gt; i2 and
     * i1 - i2 &gt; 2^31). When they differ by exactly 2^31 the order is undefined: false both ways.
     */
    public static boolean lessThan(long s1, long s2) {
        long a = s1 & MASK;
        long b = s2 & MASK;
        return (a < b && b - a < HALF) || (a > b && a - b > HALF);
    }

    /** {@code s2} newer than {@code s1}: {@code lessThan(s1, s2)}. */
    public static boolean newer(long s2, long s1) {
        return lessThan(s1, s2);
    }
}
