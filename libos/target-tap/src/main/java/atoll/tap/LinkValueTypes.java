package atoll.tap;

import atoll.libos.config.ValueType;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;

/** Config value types for the tap target's link keys, over the stack's address values. */
final class LinkValueTypes {
    private LinkValueTypes() {}

    /**
     * A unicast MAC address ({@code 02:00:5e:00:53:02}), or empty for "pick one" (read as
     * {@link MacAddress#ZERO}). IEEE 802 §8.2: a station sends from a unicast address (I/G bit 0).
     */
    static final ValueType<MacAddress> MAC = new ValueType<>() {
        @Override
        public MacAddress parse(String raw) {
            String t = raw.strip();
            if (t.isEmpty()) {
                return MacAddress.ZERO;
            }
            MacAddress m = MacAddress.parse(t);
            if (m.isMulticast() || m.equals(MacAddress.ZERO)) {
                throw new IllegalArgumentException("not a unicast address");
            }
            return m;
        }

        @Override
        public String format(MacAddress value) {
            return value.equals(MacAddress.ZERO) ? "" : value.toString();
        }

        @Override
        public String accepted() {
            return "a unicast MAC address such as 02:00:5e:00:53:02, or empty for a random locally administered one";
        }

        @Override
        public String name() {
            return "MAC address";
        }
    };

    /** An IPv4 address, or empty for none (read as {@link Ipv4Address#UNSPECIFIED}). */
    static final ValueType<Ipv4Address> OPTIONAL_IPV4 = new ValueType<>() {
        @Override
        public Ipv4Address parse(String raw) {
            String t = raw.strip();
            return t.isEmpty() ? Ipv4Address.UNSPECIFIED : Ipv4Address.parse(t);
        }

        @Override
        public String format(Ipv4Address value) {
            return value.equals(Ipv4Address.UNSPECIFIED) ? "" : value.toString();
        }

        @Override
        public String accepted() {
            return "an IPv4 address such as 192.0.2.1, or empty for none";
        }

        @Override
        public String name() {
            return "IPv4 address";
        }
    };
}
