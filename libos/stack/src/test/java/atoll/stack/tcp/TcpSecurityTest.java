package atoll.stack.tcp;

import static atoll.stack.tcp.Checker.ACK;
import static atoll.stack.tcp.Checker.RST;
import static atoll.stack.tcp.Checker.SYN;
import static atoll.stack.tcp.Checker.ack;
import static atoll.stack.tcp.Checker.flags;
import static atoll.stack.tcp.Checker.mss;
import static atoll.stack.tcp.Checker.noWindowScale;
import static atoll.stack.tcp.Checker.sackPermitted;
import static atoll.stack.tcp.Checker.seq;
import static atoll.stack.tcp.Checker.timestamps;
import static atoll.stack.tcp.TcpHarness.LISTEN_PORT;
import static atoll.stack.tcp.TcpHarness.PEER_ISN;
import static atoll.stack.tcp.TcpHarness.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.TcpRepr;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 5961 blind-attack protections, PAWS, SYN cookies, ISNs and bad input: each protection is
 * shown to act (a challenge ACK, a drop, a count), not only to leave the connection alive.
 */
class TcpSecurityTest {
    private static final int P = PEER_ISN + 1;

    @Test
    void inWindowRstThatIsNotExactGetsAChallengeAck() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P + 100, 0, RST));
            // RFC 5961 §3.2: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
            h.expect(flags(ACK), seq(h.isn + 1), ack(P));
            assertEquals(TcpState.ESTABLISHED, c.state());
            assertEquals(1, h.stack.counters().challengeAcks());
        }
    }

    @Test
    void outOfWindowRstIsDroppedSilently() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P + 100_000, 0, RST));
            h.inject(seg(LISTEN_PORT, P - 1, 0, RST));
            h.expectNothing();
            assertEquals(TcpState.ESTABLISHED, c.state());
        }
    }

    @Test
    void synInEstablishedGetsAChallengeAck() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P + 10, 0, SYN));
            h.expect(flags(ACK), seq(h.isn + 1), ack(P)); // RFC 5961 §4.2
            assertEquals(TcpState.ESTABLISHED, c.state());
        }
    }

    @Test
    void ackOfUnsentDataIsChallengedAndItsDataDropped() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P, h.isn + 5000, ACK), new byte[] {1, 2, 3});
            h.expect(flags(ACK), ack(P));
            assertEquals(0, h.recorder.received.size());
            assertEquals(TcpState.ESTABLISHED, c.state());
        }
    }

    @Test
    void blindDataWithAnAckFromTheDistantPastIsDropped() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            // RFC 5961 §5.2: acceptable ACKs lie in [SND.UNA - MAX.SND.WND, SND.NXT].
            h.inject(seg(LISTEN_PORT, P, h.isn + 1 - 200_000, ACK), new byte[] {1, 2, 3});
            h.expect(flags(ACK), ack(P));
            assertEquals(0, h.recorder.received.size());
            h.inject(seg(LISTEN_PORT, P, h.isn + 1 - 1000, ACK), new byte[] {4, 5, 6}); // plausible: old dup
            assertEquals(3, h.recorder.received.size());
        }
    }

    @Test
    void challengeAcksAreRateLimitedPerConnection() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            for (int i = 0; i < 30; i++) {
                h.inject(seg(LISTEN_PORT, P + 100 + i, 0, RST));
            }
            int sent = h.sent.size();
            h.sent.clear();
            // RFC 5961 §7: a randomised budget of 5..10 per second.
            assertTrue(sent >= 5 && sent <= 10, "challenge ACKs sent: " + sent);
            assertEquals(30 - sent, h.stack.counters().challengeAcksSuppressed());
            h.advance(Duration.ofSeconds(1));
            h.inject(seg(LISTEN_PORT, P + 100, 0, RST));
            h.expect(flags(ACK), ack(P)); // a new second, a new budget
        }
    }

    @Test
    void pawsDropsASegmentWithAnOldTimestamp() {
        try (TcpHarness h = new TcpHarness()) {
            h.accept(syn -> syn.withMss(1460).withTimestamps(1000, 0));
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK).withTimestamps(2000, 0), new byte[] {1});
            assertEquals(1, h.recorder.received.size());
            h.inject(seg(LISTEN_PORT, P + 1, h.isn + 1, ACK).withTimestamps(1500, 0), new byte[] {2});
            h.drainLast(); // RFC 7323 §5.3: dropped, answered with an ACK
            assertEquals(1, h.recorder.received.size());
            assertEquals(1, h.stack.counters().pawsRejected());
        }
    }

    @Test
    void fullBacklogFallsBackToSynCookies() {
        try (TcpHarness h = new TcpHarness(TcpConfig.defaults().withListenBacklog(1))) {
            java.util.List<TcpConnection> accepted = new java.util.ArrayList<>();
            h.stack.listen(0, LISTEN_PORT, c -> {
                accepted.add(c);
                return h.recorder;
            });
            h.inject(seg(LISTEN_PORT, PEER_ISN, 0, SYN).withMss(1460));
            h.expect(flags(SYN | ACK));
            assertEquals(1, h.stack.connectionCount());
            // The backlog is full: the next SYN gets a stateless SYN-ACK with only an MSS option.
            h.inject(TcpRepr.of(40001, LISTEN_PORT, 5000, 0, SYN, 65535).withMss(1460).withWindowShift(7)
                    .withSackPermitted().withTimestamps(1, 0));
            SentSegment cookie = h.expect(flags(SYN | ACK), ack(5001), mss(1460), noWindowScale(),
                    sackPermitted(false), timestamps(false));
            assertEquals(1, h.stack.connectionCount(), "no state kept for the cookie");
            assertEquals(1, h.stack.counters().synCookiesSent());
            // A forged ACK with a wrong cookie is reset.
            h.inject(TcpRepr.of(40002, LISTEN_PORT, 7001, cookie.seq() + 1, ACK, 65535));
            h.expect(flags(RST), seq(cookie.seq() + 1));
            // The real ACK re-creates the connection, established and accepted.
            h.inject(TcpRepr.of(40001, LISTEN_PORT, 5001, cookie.seq() + 1, ACK, 65535), new byte[] {42});
            TcpConnection c = h.stack.connection(TcpHarness.LOCAL, LISTEN_PORT, TcpHarness.REMOTE, 40001);
            assertNotNull(c);
            assertEquals(TcpState.ESTABLISHED, c.state());
            assertEquals(1, accepted.size());
            assertEquals(1, h.stack.counters().synCookiesAccepted());
            assertEquals(1, h.recorder.received.size(), "data on the cookie ACK is delivered");
            assertEquals(1460, c.sendMss());
        }
    }

    @Test
    void isnsDifferPerFourTupleAndAdvanceWithTheClock() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, 80, h.recorder);
            int a = h.expect(flags(SYN)).seq();
            h.stack.connect(h.now, TcpHarness.LOCAL, 50001, TcpHarness.REMOTE, 80, h.recorder);
            int b = h.expect(flags(SYN)).seq();
            assertNotEquals(a, b, "RFC 6528: the keyed hash separates 4-tuples");
            h.advance(Duration.ofMillis(4));
            h.stack.shutdown(h.now);
            h.sent.clear();
            h.stack.connect(h.now, TcpHarness.LOCAL, 50000, TcpHarness.REMOTE, 80, h.recorder);
            int a2 = h.expect(flags(SYN)).seq();
            assertEquals(1000, a2 - a, "RFC 6528: M ticks every 4 µs");
        }
    }

    @Test
    void ephemeralPortsComeFromTheDynamicRange() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection a = h.stack.connect(h.now, TcpHarness.LOCAL, 0, TcpHarness.REMOTE, 80, h.recorder);
            TcpConnection b = h.stack.connect(h.now, TcpHarness.LOCAL, 0, TcpHarness.REMOTE, 80, h.recorder);
            assertTrue(a.localPort() >= 49152 && b.localPort() >= 49152);
            assertNotEquals(a.localPort(), b.localPort());
            h.sent.clear();
        }
    }

    @Test
    void corruptedAndMalformedSegmentsAreCountedAndDropped() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            byte[] good = seg(LISTEN_PORT, P, h.isn + 1, ACK).toBytes(new byte[] {1, 2, 3}, TcpHarness.REMOTE,
                    TcpHarness.LOCAL);
            byte[] flipped = good.clone();
            flipped[flipped.length - 1] ^= 0x10;
            h.injectRaw(flipped);
            assertEquals(1, h.stack.counters().badChecksum());
            byte[] shortOffset = good.clone();
            shortOffset[12] = 0x40; // data offset 4 words: below the minimum of 5
            h.injectRaw(shortOffset);
            h.injectRaw(new byte[7]);
            assertEquals(2, h.stack.counters().malformed());
            h.expectNothing();
            assertEquals(0, h.recorder.received.size());
        }
    }

    @Test
    void synFloodIsCappedByTheBacklogAndAnsweredWithCookies() {
        try (TcpHarness h = new TcpHarness()) {
            h.stack.listen(0, LISTEN_PORT, c -> h.recorder);
            for (int port = 1024; port < 1024 + 5000; port++) {
                h.inject(TcpRepr.of(port, LISTEN_PORT, port * 7919, 0, SYN, 65535).withMss(1460));
            }
            assertEquals(5000, h.sent.size(), "every SYN answered");
            h.sent.clear();
            int backlog = TcpConfig.defaults().listenBacklog();
            assertEquals(backlog, h.stack.connectionCount(), "state kept only up to the backlog");
            assertEquals(5000 - backlog, h.stack.counters().synCookiesSent());
            // Half-open connections time out and free the backlog again.
            h.advance(Duration.ofMinutes(3));
            h.sent.clear();
            assertEquals(0, h.stack.connectionCount());
        }
    }
}
