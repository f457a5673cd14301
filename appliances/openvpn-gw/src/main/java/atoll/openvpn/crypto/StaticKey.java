package atoll.openvpn.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An OpenVPN static key file ({@code openvpn --genkey tls-crypt}): 2048 bits as hex between
 * {@code -----BEGIN OpenVPN Static key V1-----} and the matching END line. The 256 octets are two
 * keys of 128 octets, each a 64-octet cipher key followed by a 64-octet HMAC key (OpenVPN's
 * {@code struct key} in {@code crypto.h}); a cipher or HMAC uses the first octets it needs.
 */
public final class StaticKey {
    /** OpenVPN's {@code MAX_CIPHER_KEY_LENGTH} and {@code MAX_HMAC_KEY_LENGTH}. */
    static final int PART = 64;
    public static final int LENGTH = 4 * PART;
    static final String BEGIN = "-----BEGIN OpenVPN Static key V1-----";
    static final String END = "-----END OpenVPN Static key V1-----";

    private final byte[] octets;

    private StaticKey(byte[] octets) {
        this.octets = octets;
    }

    public static StaticKey of(byte[] octets) {
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("a static key has " + LENGTH + " octets, not " + octets.length);
        }
        return new StaticKey(octets.clone());
    }

    /**
     * Parses the file's text (comments and blank lines before BEGIN are allowed, as in files
     * OpenVPN writes).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static StaticKey parse(String text) {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no '" + BEGIN + "' ... '" + END + "' block");
        }
        StringBuilder hex = new StringBuilder();
        for (String line : text.substring(b + BEGIN.length(), e).split("\\R")) {
            hex.append(line.strip());
        }
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("static key holds " + hex.length() / 2 + " octets, not " + LENGTH);
        }
        try {
            return new StaticKey(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("static key is not hex: " + ex.getMessage());
        }
    }

    /** The file's text, 16 octets a line as OpenVPN writes it. */
    public String format() {
        StringBuilder s = new StringBuilder("#\n# 2048 bit OpenVPN static key\n#\n").append(BEGIN).append('\n');
        for (int i = 0; i < LENGTH; i += 16) {
            s.append(HexFormat.of().formatHex(octets, i, i + 16)).append('\n');
        }
        return s.append(END).append('\n').toString();
    }

    /** Key {@code index} (0 or 1)'s cipher key, its first {@code length} octets. */
    byte[] cipherKey(int index, int length) {
        return Arrays.copyOfRange(octets, index * 2 * PART, index * 2 * PART + length);
    }

    /** Key {@code index} (0 or 1)'s HMAC key, its first {@code length} octets. */
    byte[] hmacKey(int index, int length) {
        return Arrays.copyOfRange(octets, index * 2 * PART + PART, index * 2 * PART + PART + length);
    }
}
