package atoll.ssh.transport;

import java.util.List;

/**
 * What the server offers and when it re-keys.
 *
 * @param keyExchanges in order of preference
 * @param ciphers cipher names (RFC 4253 §6.3 names and OpenSSH's), in order of preference
 * @param macs MAC names for the ciphers that are not AEAD (aes*-ctr), in order of preference
 * @param rekeyBytes start a new key exchange after this many octets either way (RFC 4253 §9:
 *     "after each gigabyte of transmitted data")
 * @param rekeyNanos or after this long (RFC 4253 §9: "after each hour")
 * @param softwareVersion the softwareversion part of our identification string
 */
public record TransportPolicy(List<KeyExchange> keyExchanges, List<String> ciphers, List<String> macs, long rekeyBytes,
        long rekeyNanos, String softwareVersion) {
    /** AEAD ciphers carry their own tag; the MAC negotiated alongside them is not used (OpenSSH PROTOCOL). */
    public static final List<String> AEAD_CIPHERS =
            List.of(ChaChaPolyCipher.NAME, "aes128-gcm@openssh.com", "aes256-gcm@openssh.com");
    public static final List<String> SUPPORTED_CIPHERS =
            List.of(ChaChaPolyCipher.NAME, "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes256-ctr");
    /** Encrypt-then-MAC only: the MAC-then-encrypt names (hmac-sha2-256 ...) are not offered. */
    public static final List<String> SUPPORTED_MACS =
            List.of(AesCtrEtmCipher.HMAC_SHA2_256_ETM, AesCtrEtmCipher.HMAC_SHA2_512_ETM);

    public TransportPolicy {
        keyExchanges = List.copyOf(keyExchanges);
        ciphers = List.copyOf(ciphers);
        macs = List.copyOf(macs);
        for (String c : ciphers) {
            if (!SUPPORTED_CIPHERS.contains(c)) {
                throw new IllegalArgumentException("unsupported cipher " + c);
            }
        }
        for (String m : macs) {
            if (!SUPPORTED_MACS.contains(m)) {
                throw new IllegalArgumentException("unsupported MAC " + m);
            }
        }
    }

    /** Every supported MAC. */
    public TransportPolicy(List<KeyExchange> keyExchanges, List<String> ciphers, long rekeyBytes, long rekeyNanos,
            String softwareVersion) {
        this(keyExchanges, ciphers, SUPPORTED_MACS, rekeyBytes, rekeyNanos, softwareVersion);
    }
}
