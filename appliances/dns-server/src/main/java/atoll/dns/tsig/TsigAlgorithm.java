package atoll.dns.tsig;

import atoll.dns.wire.Name;

/**
 * The MAC algorithms this server knows, by their TSIG algorithm names (RFC 8945 §6, the IANA "TSIG
 * Algorithm Names" registry) and the JDK's {@code javax.crypto.Mac} names.
 */
public enum TsigAlgorithm {
    /** RFC 8945 §6: optional, deprecated; kept for old peers. */
    HMAC_MD5("hmac-md5.sig-alg.reg.int.", "HmacMD5", 16),
    HMAC_SHA1("hmac-sha1.", "HmacSHA1", 20),
    HMAC_SHA224("hmac-sha224.", "HmacSHA224", 28),
    /** RFC 8945 §6: "HMAC-SHA256 ... Mandatory". */
    HMAC_SHA256("hmac-sha256.", "HmacSHA256", 32),
    HMAC_SHA384("hmac-sha384.", "HmacSHA384", 48),
    HMAC_SHA512("hmac-sha512.", "HmacSHA512", 64);

    private final Name wireName;
    private final String jdkName;
    private final int macLength;

    TsigAlgorithm(String wireName, String jdkName, int macLength) {
        this.wireName = Name.parse(wireName);
        this.jdkName = jdkName;
        this.macLength = macLength;
    }

    /** The algorithm's domain name, as it stands in the TSIG RDATA's Algorithm Name field. */
    public Name wireName() {
        return wireName;
    }

    String jdkName() {
        return jdkName;
    }

    /** Octets of the full (untruncated) MAC. */
    public int macLength() {
        return macLength;
    }

    /**
     * RFC 8945 §5.2.2.1: a truncated MAC is acceptable only if it is at least 10 octets and at
     * least half the hash output ("the MAC length MUST NOT be less than ... 10 ... or half the
     * output ... whichever is greater").
     */
    public int minimumMacLength() {
        return Math.max(10, (macLength + 1) / 2);
    }

    /** The algorithm named {@code name} on the wire, or null if this server does not know it. */
    public static TsigAlgorithm byWireName(Name name) {
        for (TsigAlgorithm a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The algorithm named as kdig's {@code -y} and BIND's key files name it ({@code hmac-sha256}). */
    public static TsigAlgorithm byShortName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (TsigAlgorithm a : values()) {
            String s = a.wireName.toString();
            if (s.equals(lower) || s.equals(lower + ".") || s.startsWith(lower + ".")) {
                return a;
            }
        }
        return null;
    }

    /** The short name ({@code hmac-sha256}). */
    public String shortName() {
        String s = wireName.toString();
        return s.substring(0, s.indexOf('.'));
    }
}
