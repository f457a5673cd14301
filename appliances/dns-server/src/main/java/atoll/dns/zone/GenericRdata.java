package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 3597 §5 generic RDATA turned into typed {@link Rdata} when the TYPE is one this server
 * understands, so a record written {@code A \# 4 c0000201} behaves exactly like {@code A 192.0.2.1}.
 * RFC 3597 §4: names inside such RDATA are uncompressed, which is what is decoded here.
 */
final class GenericRdata {
    private GenericRdata() {}

    /** @throws IllegalArgumentException if the octets are not a valid RDATA of a known type */
    static Rdata decode(int type, byte[] d) {
        Reader r = new Reader(d);
        Rdata out = switch (type) {
            case RRType.A -> new Rdata.A((java.net.Inet4Address) address(r.take(4)));
            case RRType.AAAA -> {
                try {
                    yield new Rdata.AAAA(Inet6Address.getByAddress(null, r.take(16), -1));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
            case RRType.NS -> new Rdata.NS(r.name());
            case RRType.CNAME -> new Rdata.CNAME(r.name());
            case RRType.PTR -> new Rdata.PTR(r.name());
            case RRType.MX -> new Rdata.MX(r.u16(), r.name());
            case RRType.SRV -> new Rdata.SRV(r.u16(), r.u16(), r.u16(), r.name());
            case RRType.SOA -> new Rdata.SOA(r.name(), r.name(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32());
            case RRType.TXT -> {
                List<String> strings = new ArrayList<>();
                do {
                    int len = r.u8();
                    strings.add(new String(r.take(len), java.nio.charset.StandardCharsets.ISO_8859_1));
                } while (r.remaining() > 0);
                yield new Rdata.TXT(strings);
            }
            default -> {
                byte[] data = r.take(r.remaining());
                if (atoll.dns.wire.RdataSchema.layout(type) != null) {
                    // Throws if the octets do not fit the type's layout (RFC 3597 §5: the generic
                    // form of a known type must be a valid RDATA of it).
                    atoll.dns.wire.RdataSchema.format(type, data);
                }
                yield new Rdata.Unknown(type, data);
            }
        };
        if (r.remaining() != 0) {
            throw new IllegalArgumentException(r.remaining() + " octets left over");
        }
        return out;
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static final class Reader {
        private final byte[] d;
        private int pos;

        Reader(byte[] d) {
            this.d = d;
        }

        int remaining() {
            return d.length - pos;
        }

        byte[] take(int n) {
            if (n > remaining()) {
                throw new IllegalArgumentException("truncated");
            }
            byte[] b = Arrays.copyOfRange(d, pos, pos + n);
            pos += n;
            return b;
        }

        int u8() {
            return take(1)[0] & 0xff;
        }

        int u16() {
            byte[] b = take(2);
            return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        }

        long u32() {
            byte[] b = take(4);
            return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }

        /** RFC 1035 §3.1 labels up to the root label; RFC 3597 §4: no compression pointers. */
        Name name() {
            List<byte[]> labels = new ArrayList<>();
            while (true) {
                int len = u8();
                if (len == 0) {
                    return Name.of(labels);
                }
                if (len > Name.MAX_LABEL) {
                    throw new IllegalArgumentException("compressed or bad label length " + len);
                }
                labels.add(take(len));
            }
        }
    }
}
