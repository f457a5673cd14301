package atoll.ssh.transport;

import java.util.List;

/**
 * What the server offers and when it re-keys.
 *
 * @param keyExchanges in order of preference
 * @param ciphers cipher names (RFC 4253 §6.3 names and OpenSSH's), in order of preference
 * @param rekeyBytes start a new key exchange after this many octets either way (RFC 4253 §9:
 *     "after each gigabyte of transmitted data")
 * @param rekeyNanos or after this long (RFC 4253 §9: "after each hour")
 * @param softwareVersion the softwareversion part of our identification string
 */
public record TransportPolicy(List<KeyExchange> keyExchanges, List<String> ciphers, long rekeyBytes, long rekeyNanos,
        String softwareVersion) {
    public static final List<String> SUPPORTED_CIPHERS =
            List.of(ChaChaPolyCipher.NAME, "aes128-gcm@openssh.com", "aes256-gcm@openssh.com");

    public TransportPolicy {
        keyExchanges = List.copyOf(keyExchanges);
        ciphers = List.copyOf(ciphers);
        for (String c : ciphers) {
            if (!SUPPORTED_CIPHERS.contains(c)) {
                throw new IllegalArgumentException("unsupported cipher " + c);
            }
        }
    }
}
