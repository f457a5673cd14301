package atoll.stack.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 on plain {@code int}s (RFC 9293 §3.4: "all arithmetic
 * dealing with sequence numbers must be performed modulo 2**32"), for the engine's hot paths where
 * a boxed value type would allocate per segment. {@code a} is "less than" {@code b} when
 * {@code b - a} is positive as a signed 32-bit number.
 */
final class Seq {
    private Seq() {}

    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    static boolean leq(int a, int b) {
        return a - b <= 0;
    }

    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    static boolean geq(int a, int b) {
        return a - b >= 0;
    }

    static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }

    /** {@code lo <= x < hi} modulo 2^32. */
    static boolean inRange(int x, int lo, int hi) {
        return leq(lo, x) && lt(x, hi);
    }
}
