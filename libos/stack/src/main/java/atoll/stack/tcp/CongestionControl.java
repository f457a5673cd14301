package atoll.stack.tcp;

/**
 * A congestion controller: owns cwnd and ssthresh in bytes. Loss detection and recovery (which
 * segments to resend, RFC 6582 / RFC 6675) live in the connection; the controller only decides how
 * the window grows and by how much it shrinks.
 */
sealed interface CongestionControl permits NewReno, Cubic {

    int cwnd();

    int ssthresh();

    /** New data acknowledged outside loss recovery. */
    void onAck(long now, int ackedBytes, int bytesInFlight, long srtt);

    /** Loss detected by duplicate ACKs or SACK: returns the new ssthresh (cwnd is set by the caller). */
    int onCongestion(long now, int bytesInFlight);

    /** RFC 5681 §3.1: after a retransmission timeout, cwnd is one segment. */
    void onTimeout(long now, int bytesInFlight);

    /** Sets cwnd (recovery inflates and deflates it). */
    void setCwnd(int cwnd);

    static CongestionControl of(CongestionAlgorithm algorithm, int mss) {
        return switch (algorithm) {
            case NEW_RENO -> new NewReno(mss);
            case CUBIC -> new Cubic(mss);
        };
    }

    /** A ceiling far above any window the stack can use (4 MiB buffers), so that int arithmetic never wraps. */
    int MAX_CWND = 1 << 30;

    /**
     * RFC 7661 §4.3 (cwnd validation): the window grows only while the sender uses it; a flow
     * whose flight is under half of cwnd is application-limited and leaves cwnd as it is.
     */
    static boolean cwndLimited(int cwnd, int bytesInFlight) {
        return 2 * (long) bytesInFlight >= cwnd;
    }

    /** RFC 5681 §3.1 (as updated by RFC 6928): IW = min(10*MSS, max(2*MSS, 14600)). */
    static int initialWindow(int mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14600));
    }
}
