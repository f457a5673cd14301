package atoll.stack.wire;

/**
 * A TCP sequence number: a 32-bit value compared modulo 2^32 (RFC 9293 §3.4: "all arithmetic
 * dealing with sequence numbers must be performed modulo 2**32"; DESIGN §9.4). Comparison is by
 * signed distance, so {@code a < b} means b is less than 2^31 ahead of a; two numbers exactly 2^31
 * apart are each "less" than the other, which is why this type is not {@link Comparable}.
 *
 * <p>Hot paths that must not allocate may use the static {@code int} forms, which are the same
 * arithmetic.
 */
public record SeqNumber(int value) {

    public static SeqNumber of(long unsigned) {
        return new SeqNumber((int) unsigned);
    }

    /** This number plus {@code n} (which may be negative), modulo 2^32. */
    public SeqNumber plus(int n) {
        return new SeqNumber(value + n);
    }

    /** The signed distance from {@code other} to this: {@code this - other} as an int. */
    public int minus(SeqNumber other) {
        return value - other.value;
    }

    public boolean lessThan(SeqNumber other) {
        return lt(value, other.value);
    }

    public boolean lessOrEqual(SeqNumber other) {
        return le(value, other.value);
    }

    public boolean greaterThan(SeqNumber other) {
        return lt(other.value, value);
    }

    public boolean greaterOrEqual(SeqNumber other) {
        return le(other.value, value);
    }

    /**
     * True if this lies in {@code [start, start + size)} modulo 2^32, the shape of RFC 9293 §3.4's
     * acceptability tests ({@code RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND}). {@code size} is taken as
     * unsigned; a size of 0 contains nothing.
     */
    public boolean inWindow(SeqNumber start, int size) {
        return inWindow(value, start.value, size);
    }

    /** The unsigned value, 0 to 2^32 - 1. */
    public long unsigned() {
        return Integer.toUnsignedLong(value);
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(value);
    }

    /** {@code a < b} modulo 2^32. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a =< b} modulo 2^32. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** {@code start =< x < start + size} modulo 2^32, size unsigned. */
    public static boolean inWindow(int x, int start, int size) {
        return Integer.compareUnsigned(x - start, size) < 0;
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return lt(a, b) ? b : a;
    }

    /** The earlier of two sequence numbers. */
    public static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }
}
