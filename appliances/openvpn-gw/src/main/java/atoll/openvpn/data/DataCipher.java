package atoll.openvpn.data;

import java.util.Locale;

/** The data-channel ciphers offered (OpenVPN 2.6's default {@code --data-ciphers} list). */
public enum DataCipher {
    AES_256_GCM("AES-256-GCM", "AES/GCM/NoPadding", "AES", 32),
    AES_128_GCM("AES-128-GCM", "AES/GCM/NoPadding", "AES", 16),
    CHACHA20_POLY1305("CHACHA20-POLY1305", "ChaCha20-Poly1305", "ChaCha20", 32);

    /** The AEAD tag length, the same for all three (RFC 5116 §5.1, RFC 8439 §2.8). */
    public static final int TAG_LENGTH = 16;
    /** Octets of the nonce: OpenVPN's packet id (4) then the implicit IV (8). */
    public static final int NONCE_LENGTH = 12;
    /** Octets of the implicit IV, taken from the key material's HMAC-key part (OpenVPN's AEAD mode). */
    public static final int IMPLICIT_IV_LENGTH = 8;

    private final String openvpnName;
    final String transformation;
    final String keyAlgorithm;
    private final int keyLength;

    DataCipher(String openvpnName, String transformation, String keyAlgorithm, int keyLength) {
        this.openvpnName = openvpnName;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
        this.keyLength = keyLength;
    }

    public String openvpnName() {
        return openvpnName;
    }

    public int keyLength() {
        return keyLength;
    }

    /** The cipher OpenVPN calls {@code name} (case-insensitive), or null. */
    public static DataCipher ofOpenVpnName(String name) {
        for (DataCipher c : values()) {
            if (c.openvpnName.equals(name.toUpperCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
