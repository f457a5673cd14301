package atoll.stack.wire;

/**
 * Thrown by the records' {@code parse} methods (the slow path) when the bytes are not a well-formed
 * packet; the fast path gets the same {@link Verdict} from a view's {@code check} without an
 * exception. No stack trace: it is an expected outcome for hostile input.
 */
public final class MalformedPacketException extends Exception {
    private final Verdict verdict;

    public MalformedPacketException(Verdict verdict, String what) {
        super(what + ": " + verdict, null, false, false);
        if (verdict == Verdict.OK) {
            throw new IllegalArgumentException("OK is not a defect");
        }
        this.verdict = verdict;
    }

    /** What was wrong. */
    public Verdict verdict() {
        return verdict;
    }

    static void require(Verdict v, String what) throws MalformedPacketException {
        if (v != Verdict.OK) {
            throw new MalformedPacketException(v, what);
        }
    }
}
