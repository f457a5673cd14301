package atoll.dns.guard;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a 64-bit keyed
 * hash, two compression rounds per 8-octet word and four finalisation rounds. RFC 9018 §4.4 uses
 * it for the server cookie. Static and allocation-free: the key is two little-endian words, the
 * message an array slice.
 */
public final class SipHash24 {
    // The paper's initialisation constants: "somepseudorandomlygeneratedbytes" in ASCII.
    private static final long C0 = 0x736f6d6570736575L;
    private static final long C1 = 0x646f72616e646f6dL;
    private static final long C2 = 0x6c7967656e657261L;
    private static final long C3 = 0x7465646279746573L;

    private SipHash24() {}

    /** The key's first word: octets 0 to 7, read little-endian as the paper specifies. */
    public static long k0(byte[] key) {
        return le64(key, 0);
    }

    /** The key's second word: octets 8 to 15. */
    public static long k1(byte[] key) {
        return le64(key, 8);
    }

    /**
     * The hash of {@code m[off..off+len)}; its octets, in the paper's order, are the result
     * written little-endian ({@link #writeLe}).
     */
    public static long hash(long k0, long k1, byte[] m, int off, int len) {
        long v0 = k0 ^ C0;
        long v1 = k1 ^ C1;
        long v2 = k0 ^ C2;
        long v3 = k1 ^ C3;
        int end = off + len - (len & 7);
        for (int i = off; i < end; i += 8) {
            long w = le64(m, i);
            v3 ^= w;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= w;
        }
        // The last word: the remaining octets, and the message length mod 256 in the top octet.
        long b = ((long) len & 0xff) << 56;
        for (int i = 0; i < (len & 7); i++) {
            b |= (m[end + i] & 0xffL) << (8 * i);
        }
        v3 ^= b;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** Writes {@code v} little-endian into {@code dst[off..off+8)}. */
    public static void writeLe(long v, byte[] dst, int off) {
        for (int i = 0; i < 8; i++) {
            dst[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xffL);
        }
        return v;
    }
}
