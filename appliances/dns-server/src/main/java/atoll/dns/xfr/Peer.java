package atoll.dns.xfr;

import atoll.dns.wire.Name;
import atoll.libos.config.ValueType;
import atoll.libos.config.ValueTypes;
import atoll.libos.net.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One entry of the {@code secondary} or {@code notify} key: a zone and a server to talk to about
 * it (its primary, or a secondary to NOTIFY), optionally with the TSIG key to sign with.
 *
 * @param keyName null when the exchange is not signed
 */
public record Peer(Name zone, InetSocketAddress address, Name keyName) {
    /** RFC 1035 §4.2: the DNS port. */
    static final int DNS_PORT = 53;

    @Override
    public String toString() {
        InetAddress a = address.getAddress();
        return zone + "=" + a.getHostAddress() + "@" + address.getPort() + (keyName == null ? "" : "+key:" + keyName);
    }

    /** {@code origin=ADDRESS[@PORT][+key:KEYNAME]}. */
    static Peer parse(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(entry);
        }
        Name zone = Name.parse(entry.substring(0, eq).strip());
        String rest = entry.substring(eq + 1).strip();
        Name key = null;
        int plus = rest.indexOf("+key:");
        if (plus >= 0) {
            key = Name.parse(rest.substring(plus + 5).strip());
            rest = rest.substring(0, plus).strip();
        }
        int at = rest.lastIndexOf('@');
        int port = DNS_PORT;
        if (at >= 0) {
            port = ValueTypes.port().parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        return new Peer(zone, new InetSocketAddress(ValueTypes.inetAddress().parse(rest), port), key);
    }

    /** The value type of a list of peers, comma-separated. */
    public static ValueType<List<Peer>> list(String what) {
        return new ValueType<>() {
            @Override
            public List<Peer> parse(String raw) {
                List<Peer> out = new ArrayList<>();
                for (String item : raw.split(",")) {
                    if (!item.isBlank()) {
                        out.add(Peer.parse(item.strip()));
                    }
                }
                return List.copyOf(out);
            }

            @Override
            public String format(List<Peer> value) {
                return value.stream().map(Peer::toString).collect(Collectors.joining(","));
            }

            @Override
            public String accepted() {
                return "comma-separated origin=ADDRESS[@PORT][+key:KEYNAME] entries, the " + what
                        + " (e.g. example.com.=192.0.2.1@53+key:xfr-key; the port is 53 when left out)";
            }

            @Override
            public String name() {
                return "peer list";
            }
        };
    }

    /** For logs. */
    String where() {
        return Addresses.format(address);
    }
}
