package atoll.dns;

import atoll.libos.config.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The {@code nsid} key's value type: the octets of the name server identifier (RFC 5001 §2.3,
 * "The payload ... is an opaque sequence of octets"). Written as text (its UTF-8 octets) or as
 * {@code hex:} followed by an even number of hexadecimal digits, as Knot's {@code server.nsid}
 * and NSD's {@code nsid: ascii_} forms allow.
 */
final class Nsid {
    private Nsid() {}

    static final String HEX_PREFIX = "hex:";
    /**
     * Longest identifier accepted: RFC 5001 sets no limit below OPTION-LENGTH's 65535, but the
     * option rides in every answer that asks for it and must leave room for the data.
     */
    static final int MAX_OCTETS = 256;

    static final ValueType<byte[]> TYPE = new ValueType<>() {
        @Override
        public byte[] parse(String raw) {
            String s = raw.strip();
            byte[] octets;
            if (s.regionMatches(true, 0, HEX_PREFIX, 0, HEX_PREFIX.length())) {
                String digits = s.substring(HEX_PREFIX.length());
                if (digits.isEmpty() || digits.length() % 2 != 0 || !digits.chars().allMatch(Nsid::isHexDigit)) {
                    throw new IllegalArgumentException("not an even number of hexadecimal digits");
                }
                octets = HexFormat.of().parseHex(digits);
            } else {
                octets = s.getBytes(StandardCharsets.UTF_8);
            }
            if (octets.length > MAX_OCTETS) {
                throw new IllegalArgumentException("longer than " + MAX_OCTETS + " octets");
            }
            return octets;
        }

        @Override
        public String format(byte[] value) {
            if (value.length == 0) {
                return "";
            }
            for (byte b : value) {
                if (b < 0x21 || b > 0x7e) {
                    return HEX_PREFIX + HexFormat.of().formatHex(value);
                }
            }
            return new String(value, StandardCharsets.US_ASCII);
        }

        @Override
        public String accepted() {
            return "text (sent as its UTF-8 octets), or hex:<even number of hex digits>; at most "
                    + MAX_OCTETS + " octets; empty for none";
        }

        @Override
        public String name() {
            return "nsid";
        }
    };

    /** ASCII hexadecimal digits only (not other scripts' digits). */
    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
