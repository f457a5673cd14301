package atoll.stack.tcp;

/**
 * The retransmission timeout of RFC 6298 §2, in nanoseconds: SRTT and RTTVAR from RTT samples,
 * exponential backoff (§5.5), and the clamps the RFC allows.
 */
final class RttEstimator {
    /** RFC 6298 §2.1: "Until a round-trip time (RTT) measurement has been made ... RTO <- 1 second". */
    static final long INITIAL_RTO = 1_000_000_000L;
    /** RFC 6298 §2: K = 4. */
    private static final int K = 4;
    /** RFC 6298 §2: clock granularity G; the fake and real clocks here count nanoseconds, so 1 ms. */
    private static final long G = 1_000_000L;

    private final long minRto;
    private final long maxRto;
    private long srtt = -1;
    private long rttvar;
    private long rto = INITIAL_RTO;
    private int backoff;

    RttEstimator(long minRto, long maxRto) {
        this.minRto = minRto;
        this.maxRto = maxRto;
    }

    /** Feeds one RTT measurement (Karn's algorithm and RFC 7323 §4 decide which are valid). */
    void sample(long r) {
        if (r < 0) {
            return;
        }
        if (srtt < 0) {
            // RFC 6298 §2.2: SRTT <- R, RTTVAR <- R/2.
            srtt = r;
            rttvar = r / 2;
        } else {
            // RFC 6298 §2.3 with alpha = 1/8, beta = 1/4.
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = clamp(srtt + Math.max(G, K * rttvar));
        backoff = 0;
    }

    private long clamp(long v) {
        // RFC 6298 §2.4: "if it is less than 1 second, then the RTO SHOULD be rounded up" (minRto).
        return Math.min(maxRto, Math.max(minRto, v));
    }

    /** The current RTO, backoff included. */
    long rto() {
        long v = rto << Math.min(backoff, 20);
        return Math.min(maxRto, v < 0 ? maxRto : v);
    }

    /** RFC 6298 §5.5: "The host MUST set RTO <- RTO * 2 ("back off the timer")". */
    void backOff() {
        backoff++;
    }

    /** Smoothed RTT, or -1 before the first sample. */
    long srtt() {
        return srtt;
    }

    /** RFC 6298 §5.7: after the SYN's retransmission the RTO goes back to 3 s once data flows. */
    void resetTo(long value) {
        if (srtt < 0) {
            rto = clamp(value);
        }
        backoff = 0;
    }

    void clearBackoff() {
        backoff = 0;
    }
}
