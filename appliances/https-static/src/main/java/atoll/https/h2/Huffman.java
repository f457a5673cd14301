package atoll.https.h2;

/**
 * The HPACK Huffman code (RFC 7541 Appendix B). The code is canonical, so it is rebuilt here from
 * the code length of each symbol (0–255 and EOS = 256): codes of one length are consecutive, in
 * symbol order, and each length's first code follows the previous length's last, shifted.
 * {@code HuffmanTest} checks the result against the RFC's table and its C.4 examples.
 */
final class Huffman {
    private Huffman() {}

    /** RFC 7541 Appendix B, column "len": bits per symbol, symbols 0..256. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15,
        6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22,
        20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23,
        23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22,
        22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26,
        27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27,
        26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
    };
    static final int EOS = 256;
    private static final int MAX_LEN = 30;

    /** Code of each symbol, right-aligned. */
    static final int[] CODES = new int[257];
    /** Symbols sorted by (length, symbol): canonical order. */
    private static final int[] SORTED = new int[257];
    /** For each length: the first code of that length, and where its symbols start in SORTED. */
    private static final int[] FIRST_CODE = new int[MAX_LEN + 2];
    private static final int[] FIRST_INDEX = new int[MAX_LEN + 2];
    private static final int[] COUNT = new int[MAX_LEN + 2];

    static {
        for (int s = 0; s < 257; s++) {
            COUNT[LENGTHS[s]]++;
        }
        int index = 0;
        int code = 0;
        for (int len = 1; len <= MAX_LEN; len++) {
            FIRST_CODE[len] = code;
            FIRST_INDEX[len] = index;
            for (int s = 0; s < 257; s++) {
                if (LENGTHS[s] == len) {
                    SORTED[index++] = s;
                    CODES[s] = code++;
                }
            }
            code <<= 1;
        }
    }

    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /**
     * Decodes {@code length} octets at {@code offset}.
     *
     * @throws HpackException on the EOS symbol inside the string, or padding longer than 7 bits
     *     or not all ones (RFC 7541 §5.2)
     */
    static byte[] decode(byte[] in, int offset, int length) throws HpackException {
        byte[] out = new byte[length * 8 / 5 + 1]; // the shortest code is 5 bits
        int n = 0;
        int code = 0;
        int len = 0;
        for (int i = offset; i < offset + length; i++) {
            int b = in[i] & 0xff;
            for (int bit = 7; bit >= 0; bit--) {
                code = (code << 1) | ((b >> bit) & 1);
                len++;
                int k = code - FIRST_CODE[len];
                if (COUNT[len] > 0 && k >= 0 && k < COUNT[len]) {
                    int sym = SORTED[FIRST_INDEX[len] + k];
                    if (sym == EOS) {
                        // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."
                        throw new HpackException("EOS in a Huffman-coded string");
                    }
                    out[n++] = (byte) sym;
                    code = 0;
                    len = 0;
                } else if (len == MAX_LEN) {
                    throw new HpackException("invalid Huffman code");
                }
            }
        }
        // RFC 7541 §5.2: padding longer than 7 bits, or not the most significant bits of EOS (all ones), is an error.
        if (len > 7 || code != (1 << len) - 1) {
            throw new HpackException("bad Huffman padding");
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Huffman-codes {@code s} (for tests and an encoder that wants it). */
    static byte[] encode(byte[] s) {
        long bits = 0;
        for (byte b : s) {
            bits += LENGTHS[b & 0xff];
        }
        byte[] out = new byte[(int) ((bits + 7) / 8)];
        long acc = 0;
        int accBits = 0;
        int n = 0;
        for (byte b : s) {
            int sym = b & 0xff;
            acc = (acc << LENGTHS[sym]) | CODES[sym];
            accBits += LENGTHS[sym];
            while (accBits >= 8) {
                out[n++] = (byte) (acc >> (accBits - 8));
                accBits -= 8;
            }
        }
        if (accBits > 0) {
            // Pad with the most significant bits of EOS (ones).
            out[n] = (byte) ((acc << (8 - accBits)) | ((1 << (8 - accBits)) - 1));
        }
        return out;
    }
}
