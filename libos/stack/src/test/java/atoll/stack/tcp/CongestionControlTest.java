package atoll.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** NewReno (RFC 5681) and CUBIC (RFC 9438) window arithmetic, driven ACK by ACK on a fake clock. */
class CongestionControlTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L; // 100 ms

    @Test
    void initialWindowIsTenSegments() {
        assertEquals(10 * 1460, CongestionControl.initialWindow(1460)); // RFC 6928
        assertEquals(2 * 8000, CongestionControl.initialWindow(8000)); // but at least two segments
    }

    @Test
    void newRenoSlowStartDoublesPerRoundTripAndHalvesOnLoss() {
        NewReno cc = new NewReno(MSS);
        int start = cc.cwnd();
        roundTrip(cc, 0);
        assertEquals(2 * start, cc.cwnd(), "slow start: one SMSS per ACKed SMSS");
        int flight = cc.cwnd();
        assertEquals(flight / 2, cc.onCongestion(0, flight)); // RFC 5681 equation (4)
        cc.setCwnd(flight / 2);
        int before = cc.cwnd();
        roundTrip(cc, RTT);
        assertEquals(before + MSS, cc.cwnd(), "congestion avoidance: one SMSS per round trip");
    }

    @Test
    void windowDoesNotGrowWhileApplicationLimited() {
        for (CongestionControl cc : new CongestionControl[] {new NewReno(MSS), new Cubic(MSS)}) {
            int start = cc.cwnd();
            for (int i = 0; i < 10_000; i++) {
                cc.onAck(i * RTT, MSS, MSS, RTT); // one segment in flight: far under cwnd
            }
            assertEquals(start, cc.cwnd(), cc.getClass().getSimpleName() + " grew while application-limited (RFC 7661)");
        }
    }

    @Test
    void cubicReductionIsBetaAndWindowReturnsToWmaxAroundK() {
        Cubic cc = new Cubic(MSS);
        cc.setCwnd(100 * MSS);
        int ssthresh = cc.onCongestion(0, 100 * MSS);
        assertEquals(70 * MSS, ssthresh); // RFC 9438 §4.6: beta_cubic = 0.7
        cc.setCwnd(ssthresh);
        // RFC 9438 Figure 2: K = cbrt(W_max * (1 - beta) / C) = cbrt(30 / 0.4) = 4.22 s.
        double k = Math.cbrt(30 / 0.4);
        long now = 0;
        while (now < (long) (k * 1e9)) {
            roundTrip(cc, now);
            now += RTT;
        }
        double w = (double) cc.cwnd() / MSS;
        assertTrue(w > 95 && w < 106, "cwnd at K is about W_max (100 segments): " + w);
        while (now < (long) ((k + 3) * 1e9)) {
            roundTrip(cc, now);
            now += RTT;
        }
        assertTrue(cc.cwnd() > 110 * MSS, "convex region beyond W_max: " + (double) cc.cwnd() / MSS);
    }

    @Test
    void timeoutCollapsesToOneSegment() {
        for (CongestionControl cc : new CongestionControl[] {new NewReno(MSS), new Cubic(MSS)}) {
            cc.onTimeout(0, 20 * MSS);
            assertEquals(MSS, cc.cwnd());
            assertTrue(cc.ssthresh() >= 2 * MSS);
        }
    }

    /** One round trip of ACKs, one per SMSS, with the window full. */
    private static void roundTrip(CongestionControl cc, long now) {
        int acks = cc.cwnd() / MSS;
        for (int i = 0; i < acks; i++) {
            cc.onAck(now, MSS, cc.cwnd(), RTT);
        }
    }
}
