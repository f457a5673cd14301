package atoll.tap;

import atoll.libos.config.ValueType;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Config value type for an Ethernet (IEEE 802) MAC address written {@code 02:00:5e:00:00:02}, or
 * the empty string for "pick one". A configured address must be unicast (I/G bit 0, IEEE 802
 * §8.2): the stack sends from it.
 */
final class MacAddressType implements ValueType<String> {
    private static final Pattern MAC = Pattern.compile("(\\p{XDigit}{2}:){5}\\p{XDigit}{2}");

    @Override
    public String parse(String raw) {
        String t = raw.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.isEmpty()) {
            return t;
        }
        if (!MAC.matcher(t).matches()) {
            throw new IllegalArgumentException("not six colon-separated hex octets");
        }
        if ((bytes(t)[0] & 1) != 0) {
            throw new IllegalArgumentException("a multicast address (first octet odd)");
        }
        return t;
    }

    @Override
    public String name() {
        return "MAC address";
    }

    static byte[] bytes(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    @Override
    public String format(String value) {
        return value;
    }

    @Override
    public String accepted() {
        return "a unicast MAC address such as 02:00:5e:00:53:02, or empty for a random locally administered one";
    }
}
