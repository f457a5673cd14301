package atoll.dns.wire;

import java.util.Locale;

/** CLASS and QCLASS values (RFC 1035 §3.2.4, §3.2.5; RFC 6895). */
public final class RRClass {
    private RRClass() {}

    public static final int IN = 1;
    public static final int CH = 3;
    public static final int HS = 4;
    public static final int NONE = 254; // RFC 2136
    public static final int ANY = 255;

    public static String name(int rrClass) {
        return switch (rrClass) {
            case IN -> "IN";
            case CH -> "CH";
            case HS -> "HS";
            case NONE -> "NONE";
            case ANY -> "ANY";
            default -> "CLASS" + rrClass;
        };
    }

    /** Class from a mnemonic (any case) or {@code CLASSnnn}; -1 if neither. */
    public static int parse(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        switch (t) {
            case "IN": return IN;
            case "CH": return CH;
            case "HS": return HS;
            case "NONE": return NONE;
            case "ANY": return ANY;
            default:
        }
        // ASCII digits only: Integer.parseInt also reads other scripts' digits.
        if (t.startsWith("CLASS") && t.length() > 5 && t.length() <= 10
                && t.substring(5).chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                int n = Integer.parseInt(t.substring(5));
                return n >= 0 && n <= 0xffff ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
