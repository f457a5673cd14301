package atoll.stack.tcp;

/** RFC 5681 slow start and congestion avoidance; the recovery half of RFC 6582 is in the connection. */
final class NewReno implements CongestionControl {
    private final int mss;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE; // RFC 5681 §3.1: "arbitrarily high"
    private int bytesAcked; // RFC 5681 §3.1 appropriate byte counting in congestion avoidance

    NewReno(int mss) {
        this.mss = mss;
        this.cwnd = CongestionControl.initialWindow(mss);
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(long now, int acked, int inFlight, long srtt) {
        if (!CongestionControl.cwndLimited(cwnd, inFlight) || cwnd >= MAX_CWND) {
            return;
        }
        if (cwnd < ssthresh) {
            // RFC 5681 §3.1 (RFC 3465 L=2): cwnd += min(N, SMSS) per ACK... we allow up to 2*SMSS.
            cwnd += Math.min(acked, 2 * mss);
        } else {
            // RFC 5681 §3.1: cwnd += SMSS once per cwnd bytes acknowledged.
            bytesAcked += acked;
            if (bytesAcked >= cwnd) {
                bytesAcked -= cwnd;
                cwnd += mss;
            }
        }
    }

    @Override
    public int onCongestion(long now, int inFlight) {
        // RFC 5681 §3.1 equation (4): ssthresh = max(FlightSize / 2, 2*SMSS).
        ssthresh = Math.max(inFlight / 2, 2 * mss);
        bytesAcked = 0;
        return ssthresh;
    }

    @Override
    public void onTimeout(long now, int inFlight) {
        ssthresh = Math.max(inFlight / 2, 2 * mss);
        cwnd = mss; // RFC 5681 §3.1: LW = 1 full-sized segment
        bytesAcked = 0;
    }

    @Override
    public void setCwnd(int cwnd) {
        this.cwnd = Math.max(mss, cwnd);
    }
}
