package atoll.dns.wire;

/** Presentation format of records (RFC 1035 §5.1) for logs and {@link Message#toString()}. */
public final class Presentation {
    private Presentation() {}

    public static String record(ResourceRecord rr) {
        return rr.name() + "\t" + rr.ttl() + "\t" + RRClass.name(rr.rrClass()) + "\t"
                + RRType.name(rr.type()) + "\t" + rdata(rr.rdata());
    }

    public static String rdata(Rdata rdata) {
        return switch (rdata) {
            case Rdata.A a -> a.address().getHostAddress();
            case Rdata.AAAA a -> a.address().getHostAddress();
            case Rdata.NS ns -> ns.nsdname().toString();
            case Rdata.CNAME c -> c.target().toString();
            case Rdata.PTR p -> p.target().toString();
            case Rdata.SOA s -> s.mname() + " " + s.rname() + " " + s.serial() + " " + s.refresh() + " "
                    + s.retry() + " " + s.expire() + " " + s.minimum();
            case Rdata.MX mx -> mx.preference() + " " + mx.exchange();
            case Rdata.TXT txt -> {
                StringBuilder sb = new StringBuilder();
                for (String s : txt.strings()) {
                    if (!sb.isEmpty()) {
                        sb.append(' ');
                    }
                    characterString(sb, s);
                }
                yield sb.toString();
            }
            case Rdata.SRV srv -> srv.priority() + " " + srv.weight() + " " + srv.port() + " " + srv.target();
            // RFC 3597 §5: \# <length> <hex>
            // RFC 3597 §5: \# <length> <hex>, unless the type has its own form (RdataSchema).
            case Rdata.Unknown u -> typedOrGeneric(u);
        };
    }

    private static String typedOrGeneric(Rdata.Unknown u) {
        if (RdataSchema.layout(u.type()) != null) {
            try {
                return RdataSchema.format(u.type(), u.data());
            } catch (IllegalArgumentException malformed) {
                // Octets from the wire that do not fit the type's layout: shown as they are.
            }
        }
        return u.toString();
    }

    /** RFC 1035 §5.1: a quoted string; {@code \"} and {@code \\} and {@code \DDD} escapes. */
    private static void characterString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append('\\').append(String.format("%03d", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
