package atoll.stack.wire;

/** One SACK block (RFC 2018 §3): received bytes {@code [left, right)}. */
public record SackBlock(SeqNumber left, SeqNumber right) {
    public SackBlock {
        java.util.Objects.requireNonNull(left);
        java.util.Objects.requireNonNull(right);
    }

    public static SackBlock of(int left, int right) {
        return new SackBlock(new SeqNumber(left), new SeqNumber(right));
    }
}
