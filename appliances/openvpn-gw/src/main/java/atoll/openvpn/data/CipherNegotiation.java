package atoll.openvpn.data;

import java.util.List;
import java.util.Map;

/**
 * Choosing the data channel from a client's peer info (OpenVPN 2.6's {@code ssl_ncp.c}): the first
 * of the server's ciphers that the client lists in {@code IV_CIPHERS}; tls-ekm key derivation when
 * the client's {@code IV_PROTO} has the key-export bit; DATA_V2 needs its bit too.
 */
public final class CipherNegotiation {
    /** IV_PROTO bits (OpenVPN {@code ssl.h}): DATA_V2 support, and RFC 5705 key export (tls-ekm). */
    public static final int IV_PROTO_DATA_V2 = 1 << 1;
    public static final int IV_PROTO_TLS_KEY_EXPORT = 1 << 3;

    private CipherNegotiation() {}

    /** What was agreed. */
    public sealed interface Outcome {}

    /** A cipher both sides have; {@code tlsEkm} says whether keys come from the TLS exporter. */
    public record Agreed(DataCipher cipher, boolean tlsEkm) implements Outcome {}

    /** No common cipher, or a client without DATA_V2: the server refuses it. */
    public record Refused(String why) implements Outcome {}

    public static Outcome negotiate(List<DataCipher> serverOrder, Map<String, String> peerInfo) {
        int proto;
        try {
            proto = Integer.parseInt(peerInfo.getOrDefault("IV_PROTO", "0").strip());
        } catch (NumberFormatException e) {
            return new Refused("IV_PROTO is not a number: " + peerInfo.get("IV_PROTO"));
        }
        if ((proto & IV_PROTO_DATA_V2) == 0) {
            return new Refused("the client does not support DATA_V2 (IV_PROTO=" + proto + ")");
        }
        List<String> offered = List.of(peerInfo.getOrDefault("IV_CIPHERS", "").split(":"));
        for (DataCipher c : serverOrder) {
            for (String name : offered) {
                if (c == DataCipher.ofOpenVpnName(name.strip())) {
                    return new Agreed(c, (proto & IV_PROTO_TLS_KEY_EXPORT) != 0);
                }
            }
        }
        return new Refused("no common data cipher: client offers " + String.join(":", offered));
    }
}
