package atoll.dns.wire;

import java.util.Locale;
import java.util.Map;

/** Resource record TYPE and QTYPE values (IANA "Resource Record (RR) TYPEs" registry). */
public final class RRType {
    private RRType() {}

    public static final int A = 1; // RFC 1035
    public static final int NS = 2; // RFC 1035
    public static final int CNAME = 5; // RFC 1035
    public static final int SOA = 6; // RFC 1035
    public static final int PTR = 12; // RFC 1035
    public static final int HINFO = 13; // RFC 1035
    public static final int MX = 15; // RFC 1035
    public static final int TXT = 16; // RFC 1035
    public static final int AAAA = 28; // RFC 3596
    public static final int NAPTR = 35; // RFC 3403
    public static final int SRV = 33; // RFC 2782
    public static final int DNAME = 39; // RFC 6672
    public static final int DS = 43; // RFC 4034
    public static final int SSHFP = 44; // RFC 4255
    public static final int RRSIG = 46; // RFC 4034
    public static final int NSEC = 47; // RFC 4034
    public static final int DNSKEY = 48; // RFC 4034
    public static final int NSEC3 = 50; // RFC 5155
    public static final int NSEC3PARAM = 51; // RFC 5155
    public static final int TLSA = 52; // RFC 6698
    public static final int SVCB = 64; // RFC 9460
    public static final int HTTPS = 65; // RFC 9460
    public static final int CAA = 257; // RFC 8659
    public static final int OPT = 41; // RFC 6891
    public static final int TSIG = 250; // RFC 8945 §4.2
    public static final int IXFR = 251; // RFC 1995
    public static final int AXFR = 252; // RFC 1035
    public static final int ANY = 255; // RFC 1035 "*"; RFC 8482

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("A", A), Map.entry("NS", NS), Map.entry("CNAME", CNAME),
            Map.entry("SOA", SOA), Map.entry("PTR", PTR), Map.entry("HINFO", HINFO),
            Map.entry("MX", MX), Map.entry("TXT", TXT), Map.entry("AAAA", AAAA),
            Map.entry("SRV", SRV), Map.entry("OPT", OPT), Map.entry("IXFR", IXFR),
            Map.entry("AXFR", AXFR), Map.entry("ANY", ANY), Map.entry("NAPTR", NAPTR),
            Map.entry("DNAME", DNAME), Map.entry("DS", DS), Map.entry("SSHFP", SSHFP),
            Map.entry("RRSIG", RRSIG), Map.entry("NSEC", NSEC), Map.entry("DNSKEY", DNSKEY),
            Map.entry("NSEC3", NSEC3), Map.entry("NSEC3PARAM", NSEC3PARAM), Map.entry("TLSA", TLSA),
            Map.entry("SVCB", SVCB), Map.entry("HTTPS", HTTPS), Map.entry("CAA", CAA));

    /** Mnemonic for a type, or {@code TYPEnnn} (RFC 3597 §5) when it has none here. */
    public static String name(int type) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == type) {
                return e.getKey();
            }
        }
        return "TYPE" + type;
    }

    /**
     * Type from a mnemonic (any case) or {@code TYPEnnn}; -1 if neither.
     */
    public static int parse(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        Integer v = BY_NAME.get(t);
        if (v != null) {
            return v;
        }
        // ASCII digits only: Integer.parseInt also reads other scripts' digits.
        if (t.startsWith("TYPE") && t.length() > 4 && t.length() <= 9
                && t.substring(4).chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                int n = Integer.parseInt(t.substring(4));
                return n >= 0 && n <= 0xffff ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
