package atoll.stack.tcp;

/** CUBIC congestion control (RFC 9438), windows kept in segments as doubles, clock in nanoseconds. */
final class Cubic implements CongestionControl {
    /** RFC 9438 §5: "C SHOULD be set to 0.4". */
    private static final double C = 0.4;
    /** RFC 9438 §4.6: "beta_cubic SHOULD be set to 0.7". */
    private static final double BETA = 0.7;
    /** RFC 9438 §4.3: alpha_cubic = 3 * (1 - beta) / (1 + beta). */
    private static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final double NANOS_PER_SECOND = 1e9;

    private final int mss;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private double wMax; // segments
    private double k; // seconds
    private long epochStart = Long.MIN_VALUE; // no epoch yet
    private double wEst; // segments
    private double cwndEpoch;

    Cubic(int mss) {
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
            cwnd += Math.min(acked, 2 * mss); // RFC 9438 §4.10: slow start as in RFC 5681
            return;
        }
        double segs = (double) cwnd / mss;
        if (epochStart == Long.MIN_VALUE) {
            // RFC 9438 §4.2: a congestion-avoidance epoch starts here.
            epochStart = now;
            cwndEpoch = segs;
            wEst = segs;
            if (wMax < segs) {
                wMax = segs;
                k = 0;
            } else {
                k = Math.cbrt((wMax - cwndEpoch) / C); // RFC 9438 Figure 2
            }
        }
        double rtt = srtt > 0 ? srtt / NANOS_PER_SECOND : 0.1;
        double t = (now - epochStart) / NANOS_PER_SECOND;
        // RFC 9438 §4.3: Reno-friendly estimate, alpha becomes 1 once W_est reaches W_max.
        double alpha = wEst >= wMax ? 1.0 : ALPHA;
        wEst += alpha * ((double) acked / mss) / segs;
        double wCubic = C * Math.pow(t - k, 3) + wMax;
        double next;
        if (wCubic < wEst) {
            next = wEst; // RFC 9438 §4.3: "cwnd SHOULD be set to W_est"
        } else {
            // RFC 9438 §4.4: target = W_cubic(t + RTT), clamped to [cwnd, 1.5 cwnd].
            double target = C * Math.pow(t + rtt - k, 3) + wMax;
            target = Math.max(segs, Math.min(1.5 * segs, target));
            next = segs + (target - segs) / segs * ((double) acked / mss);
        }
        cwnd = Math.min(MAX_CWND, Math.max(cwnd, (int) (next * mss)));
    }

    @Override
    public int onCongestion(long now, int inFlight) {
        double segs = (double) cwnd / mss;
        // RFC 9438 §4.7 fast convergence.
        wMax = segs < wMax ? segs * (1 + BETA) / 2 : segs;
        // RFC 9438 §4.6: ssthresh = cwnd * beta_cubic, at least 2 segments.
        ssthresh = Math.max((int) (cwnd * BETA), 2 * mss);
        epochStart = Long.MIN_VALUE;
        return ssthresh;
    }

    @Override
    public void onTimeout(long now, int inFlight) {
        onCongestion(now, inFlight);
        cwnd = mss; // RFC 9438 §4.8: cwnd = 1 segment after a timeout, as RFC 5681
    }

    @Override
    public void setCwnd(int cwnd) {
        this.cwnd = Math.max(mss, cwnd);
    }
}
