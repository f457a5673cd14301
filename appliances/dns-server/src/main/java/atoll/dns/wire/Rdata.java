package atoll.dns.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The RDATA of a resource record, one record type per known TYPE and {@link Unknown} for the rest
 * (RFC 3597). Immutable values; {@link #type()} is the TYPE the RDATA belongs to.
 */
public sealed interface Rdata {

    int type();

    /** RFC 1035 §3.4.1. */
    record A(Inet4Address address) implements Rdata {
        public A {
            Objects.requireNonNull(address);
        }

        public int type() {
            return RRType.A;
        }
    }

    /** RFC 3596 §2.2. */
    record AAAA(Inet6Address address) implements Rdata {
        public AAAA {
            Objects.requireNonNull(address);
        }

        public int type() {
            return RRType.AAAA;
        }
    }

    /** RFC 1035 §3.3.11. */
    record NS(Name nsdname) implements Rdata {
        public NS {
            Objects.requireNonNull(nsdname);
        }

        public int type() {
            return RRType.NS;
        }
    }

    /** RFC 1035 §3.3.1. */
    record CNAME(Name target) implements Rdata {
        public CNAME {
            Objects.requireNonNull(target);
        }

        public int type() {
            return RRType.CNAME;
        }
    }

    /** RFC 1035 §3.3.12. */
    record PTR(Name target) implements Rdata {
        public PTR {
            Objects.requireNonNull(target);
        }

        public int type() {
            return RRType.PTR;
        }
    }

    /**
     * RFC 1035 §3.3.13. The 32-bit fields are unsigned, held in longs ({@code serial} uses RFC 1982
     * arithmetic where compared).
     */
    record SOA(Name mname, Name rname, long serial, long refresh, long retry, long expire, long minimum)
            implements Rdata {
        public SOA {
            Objects.requireNonNull(mname);
            Objects.requireNonNull(rname);
            for (long v : new long[] {serial, refresh, retry, expire, minimum}) {
                if (v < 0 || v > 0xffffffffL) {
                    throw new IllegalArgumentException("SOA field out of 32-bit range: " + v);
                }
            }
        }

        public int type() {
            return RRType.SOA;
        }
    }

    /** RFC 1035 §3.3.9. */
    record MX(int preference, Name exchange) implements Rdata {
        public MX {
            if (preference < 0 || preference > 0xffff) {
                throw new IllegalArgumentException("MX preference out of range: " + preference);
            }
            Objects.requireNonNull(exchange);
        }

        public int type() {
            return RRType.MX;
        }
    }

    /**
     * RFC 1035 §3.3.14: one or more character-strings of 0 to 255 octets each. Each string is held
     * as Latin-1 text, one char per octet, so any octet string is represented exactly.
     */
    record TXT(List<String> strings) implements Rdata {
        public TXT {
            strings = List.copyOf(strings);
            if (strings.isEmpty()) {
                throw new IllegalArgumentException("TXT needs at least one character-string");
            }
            for (String s : strings) {
                if (s.length() > 255) {
                    throw new IllegalArgumentException("character-string longer than 255 octets");
                }
                for (int i = 0; i < s.length(); i++) {
                    if (s.charAt(i) > 0xff) {
                        throw new IllegalArgumentException("character-string holds a non-octet char");
                    }
                }
            }
        }

        public int type() {
            return RRType.TXT;
        }
    }

    /** RFC 2782. */
    record SRV(int priority, int weight, int port, Name target) implements Rdata {
        public SRV {
            for (int v : new int[] {priority, weight, port}) {
                if (v < 0 || v > 0xffff) {
                    throw new IllegalArgumentException("SRV field out of 16-bit range: " + v);
                }
            }
            Objects.requireNonNull(target);
        }

        public int type() {
            return RRType.SRV;
        }
    }

    /** Any other TYPE, kept as opaque octets (RFC 3597 §5: {@code \# len hex}). */
    record Unknown(int type, byte[] data) implements Rdata {
        public Unknown {
            if (type < 0 || type > 0xffff) {
                throw new IllegalArgumentException("type out of range: " + type);
            }
            if (data.length > 0xffff) {
                throw new IllegalArgumentException("RDATA longer than 65535 octets");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.type == type && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "\\# " + data.length + (data.length == 0 ? "" : " " + HexFormat.of().formatHex(data));
        }
    }
}
