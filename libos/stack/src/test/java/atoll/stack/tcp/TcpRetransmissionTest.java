package atoll.stack.tcp;

import static atoll.stack.tcp.Checker.ACK;
import static atoll.stack.tcp.Checker.SYN;
import static atoll.stack.tcp.Checker.flags;
import static atoll.stack.tcp.Checker.payloadLength;
import static atoll.stack.tcp.Checker.seq;
import static atoll.stack.tcp.TcpHarness.LISTEN_PORT;
import static atoll.stack.tcp.TcpHarness.PEER_ISN;
import static atoll.stack.tcp.TcpHarness.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.SackBlock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retransmission timer (RFC 6298) with backoff, fast retransmit and NewReno (RFC 6582), SACK recovery (RFC 6675). */
class TcpRetransmissionTest {
    private static final int P = PEER_ISN + 1;
    private static final int MSS = 1460;

    @Test
    void rtoStartsAtOneSecondDoublesAndGivesUpAfterR2() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            c.write(new byte[100], 0, 100);
            h.expect(seq(h.isn + 1), payloadLength(100));
            long[] expected = {1, 2, 4, 8, 16, 32, 60, 60}; // RFC 6298 §2.1, §5.5; the 60 s cap (§2.5)
            for (long s : expected) {
                assertEquals(Duration.ofSeconds(s), h.advanceToNextDeadline());
                h.expect(seq(h.isn + 1), payloadLength(100));
            }
            int retransmissions = expected.length;
            while (c.state() != TcpState.CLOSED) {
                h.advanceToNextDeadline();
                if (c.state() != TcpState.CLOSED) {
                    h.expect(seq(h.isn + 1));
                    retransmissions++;
                }
            }
            assertEquals(TcpConfig.defaults().maxRetransmissions(), retransmissions);
            assertEquals(CloseReason.TIMED_OUT, c.closeReason());
        }
    }

    @Test
    void rtoFollowsTheMeasuredRoundTrip() {
        try (TcpHarness h = new TcpHarness(TcpConfig.defaults().withMinRto(Duration.ofMillis(200)))) {
            TcpConnection c = h.acceptPlain();
            c.write(new byte[100], 0, 100);
            h.expect(payloadLength(100));
            h.advance(Duration.ofMillis(100));
            h.inject(seg(LISTEN_PORT, P, h.isn + 101, ACK));
            c.write(new byte[100], 0, 100);
            h.expect(seq(h.isn + 101));
            // RFC 6298 §2.2: SRTT = 100 ms, RTTVAR = 50 ms, RTO = SRTT + 4 * RTTVAR = 300 ms.
            assertEquals(Duration.ofMillis(300), h.advanceToNextDeadline());
            h.expect(seq(h.isn + 101), payloadLength(100));
        }
    }

    @Test
    void synIsRetransmittedWithBackoffThenTheOpenFails() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, 80, h.recorder);
            int isn = h.expect(flags(SYN)).seq();
            for (long s : new long[] {1, 2, 4, 8, 16, 32}) {
                assertEquals(Duration.ofSeconds(s), h.advanceToNextDeadline());
                h.expect(flags(SYN), seq(isn));
            }
            h.advanceToNextDeadline();
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(List.of("closed:TIMED_OUT"), h.recorder.events);
        }
    }

    @Test
    void synAckIsRetransmittedAndTheHalfOpenConnectionDropped() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.listen(0, LISTEN_PORT, c -> h.recorder);
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN));
            int isn = h.expect(flags(SYN | ACK)).seq();
            assertEquals(Duration.ofSeconds(1), h.advanceToNextDeadline());
            h.expect(flags(SYN | ACK), seq(isn));
            while (h.stack.connectionCount() > 0) {
                h.advanceToNextDeadline();
                h.sent.clear();
            }
            assertTrue(h.recorder.events.isEmpty(), "never accepted, so never reported");
        }
    }

    private static void sendTenSegments(TcpHarness h, TcpConnection c) {
        c.write(new byte[10 * MSS], 0, 10 * MSS);
        for (int i = 0; i < 10; i++) { // the initial window, RFC 6928: 10 segments
            h.expect(seq(h.isn + 1 + i * MSS), payloadLength(MSS));
        }
        h.expectNothing();
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitAndNewRenoRepairsEachHole() {
        try (TcpHarness h = new TcpHarness(TcpConfig.defaults().withCongestionControl(CongestionAlgorithm.NEW_RENO))) {
            TcpConnection c = h.acceptPlain();
            sendTenSegments(h, c);
            int una = h.isn + 1;
            h.inject(seg(LISTEN_PORT, P, una, ACK));
            h.inject(seg(LISTEN_PORT, P, una, ACK));
            h.expectNothing();
            h.inject(seg(LISTEN_PORT, P, una, ACK));
            h.expect(seq(una), payloadLength(MSS)); // RFC 6582 §3.2 step 2
            assertTrue(c.inRecovery);
            assertEquals(Math.max(5 * MSS, 2 * MSS) + 3 * MSS, c.cc.cwnd(), "ssthresh + 3 SMSS");
            // A partial ACK: the third segment was lost too; it is resent at once (step 3).
            h.inject(seg(LISTEN_PORT, P, una + 2 * MSS, ACK));
            h.expect(seq(una + 2 * MSS), payloadLength(MSS));
            assertTrue(c.inRecovery);
            h.inject(seg(LISTEN_PORT, P, una + 10 * MSS, ACK));
            assertTrue(!c.inRecovery);
            assertEquals(1, h.stack.counters().fastRecoveries());
            assertEquals(0, h.stack.counters().timeouts());
        }
    }

    @Test
    void sackMarksTheHoleLostAndOnlyItIsResent() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.accept(syn -> syn.withMss(MSS).withSackPermitted());
            sendTenSegments(h, c);
            int una = h.isn + 1;
            // Segments 2-4 SACKed: more than (DupThresh - 1) * SMSS above the first, so it is lost
            // (RFC 6675 §4 IsLost) on the first duplicate ACK.
            h.inject(seg(LISTEN_PORT, P, una, ACK).withSackBlocks(List.of(SackBlock.of(una + MSS, una + 4 * MSS))));
            h.expect(seq(una), payloadLength(MSS));
            h.expectNothing(); // pipe fills cwnd (RFC 6675 §5 step C)
            // Then segments 6-10 SACKed too: segment 5 is lost, and is the only one resent.
            h.inject(seg(LISTEN_PORT, P, una, ACK).withSackBlocks(List.of(SackBlock.of(una + 5 * MSS, una + 10 * MSS),
                    SackBlock.of(una + MSS, una + 4 * MSS))));
            h.expect(seq(una + 4 * MSS), payloadLength(MSS));
            h.expectNothing();
            h.inject(seg(LISTEN_PORT, P, una + 10 * MSS, ACK));
            assertTrue(!c.inRecovery);
            assertEquals(2, h.stack.counters().retransmissions());
            assertEquals(0, h.stack.counters().timeouts());
        }
    }

    @Test
    void timeoutCollapsesTheWindowToOneSegment() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            sendTenSegments(h, c);
            h.advanceToNextDeadline();
            h.expect(seq(h.isn + 1), payloadLength(MSS));
            h.expectNothing(); // RFC 5681 §3.1: cwnd = 1 SMSS after the timeout
            assertEquals(MSS, c.cc.cwnd());
            h.inject(seg(LISTEN_PORT, P, h.isn + 1 + MSS, ACK));
            h.expect(seq(h.isn + 1 + MSS)); // go-back-N: slow start resends what followed
        }
    }

    @Test
    void unacknowledgedFinIsRetransmittedThenLastAckCompletes() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, Checker.FIN | ACK));
            h.expect(flags(ACK), Checker.ack(P + 1));
            c.close();
            h.expect(flags(Checker.FIN | ACK), seq(h.isn + 1));
            assertEquals(Duration.ofSeconds(1), h.advanceToNextDeadline());
            h.expect(flags(Checker.FIN | ACK), seq(h.isn + 1), Checker.ack(P + 1));
            assertEquals(Duration.ofSeconds(2), h.advanceToNextDeadline());
            h.expect(flags(Checker.FIN | ACK), seq(h.isn + 1));
            h.inject(seg(LISTEN_PORT, P + 1, h.isn + 2, ACK));
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(CloseReason.NORMAL, c.closeReason());
        }
    }

    @Test
    void firstTwoDuplicateAcksReleaseOneNewSegmentEach() {
        try (TcpHarness h = new TcpHarness(TcpConfig.defaults().withCongestionControl(CongestionAlgorithm.NEW_RENO))) {
            TcpConnection c = h.acceptPlain();
            sendTenSegments(h, c);
            c.write(new byte[3 * MSS], 0, 3 * MSS); // queued: cwnd is full
            h.expectNothing();
            int una = h.isn + 1;
            int cwnd = c.cc.cwnd();
            h.inject(seg(LISTEN_PORT, P, una, ACK));
            h.expect(seq(una + 10 * MSS), payloadLength(MSS)); // RFC 3042 limited transmit
            h.inject(seg(LISTEN_PORT, P, una, ACK));
            h.expect(seq(una + 11 * MSS), payloadLength(MSS));
            assertEquals(cwnd, c.cc.cwnd(), "cwnd unchanged by limited transmit");
            h.inject(seg(LISTEN_PORT, P, una, ACK));
            h.expect(seq(una), payloadLength(MSS)); // the third: fast retransmit
        }
    }
}
