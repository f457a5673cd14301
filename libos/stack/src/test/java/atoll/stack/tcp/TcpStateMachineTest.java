package atoll.stack.tcp;

import static atoll.stack.tcp.Checker.ACK;
import static atoll.stack.tcp.Checker.FIN;
import static atoll.stack.tcp.Checker.PSH;
import static atoll.stack.tcp.Checker.RST;
import static atoll.stack.tcp.Checker.SYN;
import static atoll.stack.tcp.Checker.ack;
import static atoll.stack.tcp.Checker.flags;
import static atoll.stack.tcp.Checker.mss;
import static atoll.stack.tcp.Checker.noPayload;
import static atoll.stack.tcp.Checker.payload;
import static atoll.stack.tcp.Checker.sackPermitted;
import static atoll.stack.tcp.Checker.seq;
import static atoll.stack.tcp.Checker.timestamps;
import static atoll.stack.tcp.Checker.windowScale;
import static atoll.stack.tcp.TcpHarness.LISTEN_PORT;
import static atoll.stack.tcp.TcpHarness.PEER_ISN;
import static atoll.stack.tcp.TcpHarness.PEER_PORT;
import static atoll.stack.tcp.TcpHarness.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.TcpRepr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every RFC 9293 state transition, driven segment by segment (RFC 9293 §3.3.2, §3.10). */
class TcpStateMachineTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    void activeOpenSendsSynWithAllOptionsAndCompletesOnSynAck() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            assertEquals(TcpState.SYN_SENT, c.state());
            var syn = h.expect(flags(SYN), mss(1460), windowScale(TcpConfig.defaults().receiveWindowShift()),
                    sackPermitted(true), timestamps(true), Checker.tsEcr(0), noPayload());
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, syn.seq() + 1, SYN | ACK, 1000).withMss(1400)
                    .withWindowShift(3).withSackPermitted().withTimestamps(777, syn.tsVal()));
            h.expect(flags(ACK), seq(syn.seq() + 1), ack(PEER_ISN + 1), Checker.tsEcr(777));
            assertEquals(TcpState.ESTABLISHED, c.state());
            assertEquals(List.of("connected"), h.recorder.events);
            assertEquals(1400 - 12, c.sendMss(), "Eff.snd.MSS less the timestamp option");
            assertTrue(c.tsOk && c.sackOk);
            assertEquals(3, c.sndShift);
            assertEquals(1000, c.sndWnd, "the window of a SYN is not scaled (RFC 7323 §2.2)");
        }
    }

    @Test
    void passiveOpenAnswersSynAckAndAcceptsOnAck() {
        try (TcpHarness h = new TcpHarness()) {
            List<TcpConnection> accepted = new java.util.ArrayList<>();
            h.stack.listen(0, LISTEN_PORT, c -> {
                accepted.add(c);
                return h.recorder;
            });
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN).withMss(1000).withWindowShift(2).withTimestamps(5, 0));
            var synAck = h.expect(flags(SYN | ACK), ack(PEER_ISN + 1), mss(1460), Checker.tsEcr(5),
                    windowScale(TcpConfig.defaults().receiveWindowShift()), sackPermitted(false));
            TcpConnection c = h.stack.connection(TcpHarness.LOCAL, LISTEN_PORT, TcpHarness.REMOTE, PEER_PORT);
            assertEquals(TcpState.SYN_RECEIVED, c.state());
            assertTrue(accepted.isEmpty(), "not accepted before the handshake completes");
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, synAck.seq() + 1, ACK, 100).withTimestamps(6, synAck.tsVal()));
            h.expectNothing();
            assertEquals(TcpState.ESTABLISHED, c.state());
            assertEquals(List.of(c), accepted);
            assertEquals(List.of("connected"), h.recorder.events);
            assertEquals(400, c.sndWnd, "window scaled by the peer's shift after the SYN");
            assertEquals(1000 - 12, c.sendMss());
        }
    }

    @Test
    void synToClosedPortIsAnsweredWithRstAck() {
        try (TcpHarness h = new TcpHarness()) {
            h.inject(seg(9, PEER_ISN, 0, SYN));
            // RFC 9293 §3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
            h.expect(flags(RST | ACK), seq(0), ack(PEER_ISN + 1));
            h.inject(seg(9, PEER_ISN, 12345, ACK));
            h.expect(flags(RST), seq(12345)); // <SEQ=SEG.ACK><CTL=RST>
            h.inject(seg(9, PEER_ISN, 12345, RST));
            h.expectNothing(); // never a reset for a reset
            assertEquals(3, h.stack.counters().noConnection());
        }
    }

    @Test
    void ackToListenerIsReset() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.listen(0, LISTEN_PORT, c -> h.recorder);
            h.inject(seg(LISTEN_PORT, PEER_ISN, 4242, ACK));
            h.expect(flags(RST), seq(4242));
            h.inject(seg(LISTEN_PORT, PEER_ISN, 4242, RST));
            h.expectNothing();
        }
    }

    @Test
    void rstAnsweringSynRefusesTheConnection() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            int isn = h.expect(flags(SYN)).seq();
            h.inject(TcpRepr.of(PEER_PORT, 50000, 0, isn + 7, RST | ACK, 0));
            assertEquals(TcpState.SYN_SENT, c.state(), "RST with an unacceptable ACK is ignored");
            h.expectNothing();
            h.inject(TcpRepr.of(PEER_PORT, 50000, 0, isn + 1, RST | ACK, 0));
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(List.of("closed:REFUSED"), h.recorder.events);
            assertEquals(0, h.stack.connectionCount());
        }
    }

    @Test
    void synSentAnswersABadAckWithReset() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            int isn = h.expect(flags(SYN)).seq();
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, isn + 100, SYN | ACK, 1000));
            h.expect(flags(RST), seq(isn + 100));
            assertEquals(TcpState.SYN_SENT, c.state());
        }
    }

    @Test
    void simultaneousOpen() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            int isn = h.expect(flags(SYN)).seq();
            // The peer's own SYN crosses ours: RFC 9293 Figure 7.
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, 0, SYN, 1000).withMss(1460));
            h.expect(flags(SYN | ACK), seq(isn), ack(PEER_ISN + 1), mss(1460));
            assertEquals(TcpState.SYN_RECEIVED, c.state());
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, isn + 1, SYN | ACK, 1000).withMss(1460));
            // A SYN,ACK whose SYN we already have: its sequence number is old, so it is
            // acknowledged and its ACK moves us to ESTABLISHED on the next in-window segment.
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, isn + 1, ACK, 1000));
            assertEquals(TcpState.ESTABLISHED, c.state());
            assertEquals("connected", h.recorder.events.get(0));
        }
    }

    @Test
    void activeCloseThroughFinWait1FinWait2AndTimeWait() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.connectPlain();
            int isn = h.isn;
            c.close();
            h.expect(flags(FIN | ACK), seq(isn + 1), ack(PEER_ISN + 1));
            assertEquals(TcpState.FIN_WAIT_1, c.state());
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, isn + 2, ACK, 1000));
            assertEquals(TcpState.FIN_WAIT_2, c.state());
            h.expectNothing();
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, isn + 2, FIN | ACK, 1000));
            h.expect(flags(ACK), seq(isn + 2), ack(PEER_ISN + 2));
            assertEquals(TcpState.TIME_WAIT, c.state());
            assertTrue(h.recorder.events.contains("peerClosed"));
            // A retransmitted FIN in TIME-WAIT is acknowledged again.
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, isn + 2, FIN | ACK, 1000));
            h.expect(flags(ACK), ack(PEER_ISN + 2));
            h.advance(Duration.ofMinutes(4).minusSeconds(1));
            assertEquals(TcpState.TIME_WAIT, c.state(), "2 MSL is 4 minutes");
            h.advance(Duration.ofSeconds(2));
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals("closed:NORMAL", h.recorder.events.getLast());
            assertEquals(0, h.stack.connectionCount());
        }
    }

    @Test
    void finWait1StraightToTimeWaitOnFinAck() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.connectPlain();
            c.close();
            h.expect(flags(FIN | ACK));
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, h.isn + 2, FIN | ACK, 1000));
            h.expect(flags(ACK), ack(PEER_ISN + 2));
            assertEquals(TcpState.TIME_WAIT, c.state());
        }
    }

    @Test
    void simultaneousCloseThroughClosing() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.connectPlain();
            c.close();
            h.expect(flags(FIN | ACK), seq(h.isn + 1));
            // The peer's FIN crosses ours: it does not acknowledge our FIN.
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, h.isn + 1, FIN | ACK, 1000));
            h.expect(flags(ACK), ack(PEER_ISN + 2));
            assertEquals(TcpState.CLOSING, c.state());
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 2, h.isn + 2, ACK, 1000));
            assertEquals(TcpState.TIME_WAIT, c.state());
        }
    }

    @Test
    void passiveCloseThroughCloseWaitAndLastAck() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, h.isn + 1, FIN | ACK));
            h.expect(flags(ACK), ack(PEER_ISN + 2));
            assertEquals(TcpState.CLOSE_WAIT, c.state());
            assertTrue(c.peerHasClosed());
            assertEquals("peerClosed", h.recorder.events.getLast());
            c.write(HELLO, 0, HELLO.length); // CLOSE-WAIT may still send
            h.expect(flags(ACK | PSH), payload(HELLO));
            c.close();
            // The FIN follows at once: Nagle holds back short data, never the FIN.
            h.expect(flags(FIN | ACK), seq(h.isn + 1 + HELLO.length), ack(PEER_ISN + 2));
            assertEquals(TcpState.LAST_ACK, c.state());
        }
    }

    @Test
    void lastAckClosesOnAckOfFin() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, h.isn + 1, FIN | ACK));
            h.expect(flags(ACK));
            c.close();
            h.expect(flags(FIN | ACK), seq(h.isn + 1), ack(PEER_ISN + 2));
            assertEquals(TcpState.LAST_ACK, c.state());
            h.inject(seg(LISTEN_PORT, PEER_ISN + 2, h.isn + 2, ACK));
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals("closed:NORMAL", h.recorder.events.getLast());
            h.expectNothing();
        }
    }

    @Test
    void rstInEstablishedResetsTheConnection() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, 0, RST));
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(CloseReason.RESET, c.closeReason());
            h.expectNothing();
        }
    }

    @Test
    void rstInSynReceivedReturnsToListenSilently() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.listen(0, LISTEN_PORT, c -> h.recorder);
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN));
            h.expect(flags(SYN | ACK));
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, 0, RST));
            assertEquals(0, h.stack.connectionCount());
            assertTrue(h.recorder.events.isEmpty());
            h.inject(seg(LISTEN_PORT, PEER_ISN + 50, 0, SYN)); // the listener still listens
            h.expect(flags(SYN | ACK), ack(PEER_ISN + 51));
        }
    }

    @Test
    void lostSynAckIsSentAgainWhenTheSynIsRepeated() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.listen(0, LISTEN_PORT, c -> h.recorder);
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN));
            int isn = h.expect(flags(SYN | ACK)).seq();
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN));
            h.expect(flags(SYN | ACK), seq(isn), ack(PEER_ISN + 1));
            assertEquals(1, h.stack.connectionCount());
        }
    }

    @Test
    void abortSendsRstAndCloses() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            c.abort();
            h.expect(flags(RST | ACK), seq(h.isn + 1));
            assertEquals(CloseReason.ABORTED, c.closeReason());
            assertEquals(0, h.stack.connectionCount());
        }
    }

    @Test
    void refusedAcceptResetsTheConnection() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.listen(0, LISTEN_PORT, c -> null);
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN));
            int isn = h.expect(flags(SYN | ACK)).seq();
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, isn + 1, ACK));
            h.expect(flags(RST | ACK));
            assertEquals(0, h.stack.connectionCount());
        }
    }

    @Test
    void timeWaitEndsEarlyForANewerSyn() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            c.close();
            h.expect(flags(FIN | ACK));
            h.inject(seg(LISTEN_PORT, PEER_ISN + 1, h.isn + 2, FIN | ACK));
            h.expect(flags(ACK));
            assertEquals(TcpState.TIME_WAIT, c.state());
            h.inject(seg(LISTEN_PORT, PEER_ISN + 100000, 0, SYN));
            h.expect(flags(SYN | ACK), ack(PEER_ISN + 100001));
            TcpConnection fresh = h.stack.connection(TcpHarness.LOCAL, LISTEN_PORT, TcpHarness.REMOTE, PEER_PORT);
            assertEquals(TcpState.SYN_RECEIVED, fresh.state());
            assertNull(c.handler() == null ? null : null);
        }
    }

    @Test
    void closeInSynSentClosesAtOnce() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            h.expect(flags(SYN));
            c.close();
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(0, h.stack.connectionCount());
            h.expectNothing();
        }
    }

    @Test
    void dataWrittenInSynSentLeavesAfterTheHandshake() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            int isn = h.expect(flags(SYN)).seq();
            assertEquals(HELLO.length, c.write(HELLO, 0, HELLO.length)); // RFC 9293 §3.10.2: queued
            h.expectNothing();
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, isn + 1, SYN | ACK, 1000).withMss(1460));
            h.expect(flags(ACK | PSH), seq(isn + 1), ack(PEER_ISN + 1), payload(HELLO));
            h.expectNothing(); // the data carried the ACK of the SYN
        }
    }

    @Test
    void closeInSynReceivedSendsFinAfterTheHandshake() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, PEER_PORT, h.recorder);
            int isn = h.expect(flags(SYN)).seq();
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, 0, SYN, 1000).withMss(1460));
            h.expect(flags(SYN | ACK));
            assertEquals(TcpState.SYN_RECEIVED, c.state());
            c.close();
            // RFC 9293 §3.10.4: with nothing queued, form a FIN and enter FIN-WAIT-1.
            assertEquals(TcpState.FIN_WAIT_1, c.state());
            h.expect(flags(FIN | ACK), seq(isn + 1));
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, isn + 2, ACK, 1000));
            assertEquals(TcpState.FIN_WAIT_2, c.state());
        }
    }

    @Test
    void rstInTimeWaitIsIgnored() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.connectPlain();
            c.close();
            h.expect(flags(FIN | ACK));
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 1, h.isn + 2, FIN | ACK, 1000));
            h.expect(flags(ACK));
            assertEquals(TcpState.TIME_WAIT, c.state());
            // RFC 1337: the peer, already closed, answers a duplicate of our last ACK with RST.
            h.inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN + 2, 0, RST, 0));
            assertEquals(TcpState.TIME_WAIT, c.state());
            h.expectNothing();
            h.advance(Duration.ofMinutes(5));
            assertEquals(CloseReason.NORMAL, c.closeReason());
        }
    }
}
