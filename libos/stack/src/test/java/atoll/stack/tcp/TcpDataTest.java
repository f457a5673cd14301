package atoll.stack.tcp;

import static atoll.stack.tcp.Checker.ACK;
import static atoll.stack.tcp.Checker.PSH;
import static atoll.stack.tcp.Checker.ack;
import static atoll.stack.tcp.Checker.flags;
import static atoll.stack.tcp.Checker.noPayload;
import static atoll.stack.tcp.Checker.noSack;
import static atoll.stack.tcp.Checker.payloadLength;
import static atoll.stack.tcp.Checker.sackBlocks;
import static atoll.stack.tcp.Checker.seq;
import static atoll.stack.tcp.Checker.window;
import static atoll.stack.tcp.TcpHarness.LISTEN_PORT;
import static atoll.stack.tcp.TcpHarness.PEER_ISN;
import static atoll.stack.tcp.TcpHarness.seg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.SackBlock;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Data transfer: delayed ACKs, out-of-order data and SACK, Nagle, windows, zero-window probes, keepalive. */
class TcpDataTest {
    private static final int P = PEER_ISN + 1; // the peer's first data byte

    private static byte[] bytes(int n, int salt) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + salt);
        }
        return b;
    }

    @Test
    void loneSegmentIsAcknowledgedAfterTheDelayedAckTimeout() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            byte[] data = bytes(100, 1);
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK | PSH), data);
            h.expectNothing();
            assertArrayEquals(data, h.recorder.received.toByteArray());
            h.advance(Duration.ofMillis(39));
            h.expectNothing();
            h.advance(Duration.ofMillis(2));
            // RFC 9293 §3.8.6.3: delayed, but by less than 0.5 s (40 ms here).
            h.expect(flags(ACK), ack(P + 100), noPayload());
        }
    }

    @Test
    void everySecondFullSegmentIsAcknowledgedAtOnce() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK), bytes(1460, 1));
            h.expectNothing();
            h.inject(seg(LISTEN_PORT, P + 1460, h.isn + 1, ACK), bytes(1460, 2));
            h.expect(flags(ACK), ack(P + 2920));
        }
    }

    @Test
    void outOfOrderDataIsAcknowledgedAtOnceWithSackAndReassembled() {
        try (TcpHarness h = new TcpHarness()) {
            h.accept(syn -> syn.withMss(1460).withSackPermitted());
            byte[] first = bytes(1460, 1);
            byte[] second = bytes(1460, 2);
            byte[] third = bytes(500, 3);
            h.inject(seg(LISTEN_PORT, P + 2920, h.isn + 1, ACK), third);
            h.expect(flags(ACK), ack(P), sackBlocks(SackBlock.of(P + 2920, P + 3420)));
            h.inject(seg(LISTEN_PORT, P + 1460, h.isn + 1, ACK), second);
            // RFC 2018 §4: the block holding the latest segment comes first.
            h.expect(flags(ACK), ack(P), sackBlocks(SackBlock.of(P + 1460, P + 3420)));
            assertEquals(0, h.recorder.received.size(), "nothing readable before the hole is filled");
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK), first);
            h.expect(flags(ACK), ack(P + 3420), noSack()); // RFC 5681 §4.2: a filled hole is ACKed at once
            byte[] all = new byte[3420];
            System.arraycopy(first, 0, all, 0, 1460);
            System.arraycopy(second, 0, all, 1460, 1460);
            System.arraycopy(third, 0, all, 2920, 500);
            assertArrayEquals(all, h.recorder.received.toByteArray());
        }
    }

    @Test
    void overlappingAndDuplicateSegmentsAreTrimmed() {
        try (TcpHarness h = new TcpHarness()) {
            h.accept(syn -> syn.withMss(1460).withSackPermitted());
            byte[] stream = bytes(3000, 9);
            h.inject(seg(LISTEN_PORT, P + 1000, h.isn + 1, ACK), Arrays.copyOfRange(stream, 1000, 2000));
            h.inject(seg(LISTEN_PORT, P + 1500, h.isn + 1, ACK), Arrays.copyOfRange(stream, 1500, 3000));
            h.inject(seg(LISTEN_PORT, P + 500, h.isn + 1, ACK), Arrays.copyOfRange(stream, 500, 1200));
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK), Arrays.copyOfRange(stream, 0, 1000));
            h.drainLast();
            h.inject(seg(LISTEN_PORT, P + 100, h.isn + 1, ACK), Arrays.copyOfRange(stream, 100, 200));
            h.expect(flags(ACK), ack(P + 3000)); // an old duplicate is answered with an ACK
            assertArrayEquals(stream, h.recorder.received.toByteArray());
        }
    }

    @Test
    void dataBeyondTheWindowIsNotAccepted() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P + 70000, h.isn + 1, ACK), bytes(100, 1));
            h.expect(flags(ACK), ack(P));
            assertEquals(1, h.stack.counters().outOfWindow());
            assertEquals(0, h.recorder.received.size());
        }
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledged() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            c.write(bytes(10, 1), 0, 10);
            h.expect(flags(ACK | PSH), seq(h.isn + 1), payloadLength(10));
            c.write(bytes(10, 2), 0, 10);
            h.expectNothing();
            h.inject(seg(LISTEN_PORT, P, h.isn + 11, ACK));
            h.expect(flags(ACK | PSH), seq(h.isn + 11), payloadLength(10));
        }
    }

    @Test
    void withoutNagleSmallSegmentsGoAtOnce() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            c.setNagle(false);
            c.write(bytes(10, 1), 0, 10);
            c.write(bytes(10, 2), 0, 10);
            h.expect(payloadLength(10), seq(h.isn + 1));
            h.expect(payloadLength(10), seq(h.isn + 11));
        }
    }

    @Test
    void fullSegmentsGoAndTheTailWaitsForTheAck() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            c.write(bytes(3000, 1), 0, 3000);
            h.expect(flags(ACK), seq(h.isn + 1), payloadLength(1460));
            h.expect(flags(ACK), seq(h.isn + 1461), payloadLength(1460));
            h.expectNothing();
            h.inject(seg(LISTEN_PORT, P, h.isn + 2921, ACK));
            h.expect(flags(ACK | PSH), seq(h.isn + 2921), payloadLength(80));
        }
    }

    @Test
    void sendWindowLimitsWhatIsInFlight() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK, 2000));
            c.write(bytes(5000, 1), 0, 5000);
            h.expect(payloadLength(1460));
            // 540 bytes would fit, but sender SWS avoidance (RFC 9293 §3.8.6.2.1) holds them back:
            // less than a full segment and less than half the largest window seen (65535).
            h.expectNothing();
            h.inject(seg(LISTEN_PORT, P, h.isn + 1461, ACK, 2000));
            h.expect(seq(h.isn + 1461), payloadLength(1460));
        }
    }

    @Test
    void zeroWindowIsProbedWithBackoffAndReopens() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK, 0));
            c.write(bytes(100, 1), 0, 100);
            h.expectNothing();
            assertEquals(Duration.ofSeconds(1), h.advanceToNextDeadline());
            h.expect(flags(ACK), seq(h.isn + 1), payloadLength(1)); // RFC 9293 §3.8.6.1: one byte
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK, 0)); // dropped by the closed window
            assertEquals(Duration.ofSeconds(2), h.advanceToNextDeadline());
            h.expect(seq(h.isn + 1), payloadLength(1));
            for (int i = 0; i < 20; i++) { // probes answered: never given up (RFC 1122 §4.2.2.17)
                h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK, 0));
                h.advanceToNextDeadline();
                h.expect(seq(h.isn + 1), payloadLength(1));
            }
            assertEquals(TcpState.ESTABLISHED, c.state());
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK, 65535));
            h.expect(seq(h.isn + 1), payloadLength(100));
        }
    }

    @Test
    void windowShrinksWhenTheApplicationDoesNotReadAndReopensWhenItDoes() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.acceptPlain();
            h.recorder.autoRead = false;
            int seq = P;
            for (int i = 0; i < 44; i++) {
                h.inject(seg(LISTEN_PORT, seq, h.isn + 1, ACK), bytes(1460, i));
                seq += 1460;
            }
            h.inject(seg(LISTEN_PORT, seq, h.isn + 1, ACK), bytes(1295, 0));
            seq += 1295;
            h.advance(Duration.ofMillis(50));
            h.drainLast();
            // The window is full: one more byte is refused.
            h.inject(seg(LISTEN_PORT, seq, h.isn + 1, ACK), bytes(1, 0));
            h.expect(flags(ACK), ack(seq), window(0));
            assertEquals(65535, c.readableBytes());
            byte[] sink = new byte[70000];
            assertEquals(65535, c.read(MemorySegment.ofArray(sink)));
            h.expect(flags(ACK), ack(seq), window(65535)); // the window update
        }
    }

    @Test
    void receiveWindowGrowsWithTheApplicationsReading() {
        try (TcpHarness h = new TcpHarness()) {
            TcpConnection c = h.accept(syn -> syn.withMss(1460).withWindowShift(7));
            int shift = TcpConfig.defaults().receiveWindowShift();
            int seq = P;
            int window = 65535;
            int largest = 0;
            for (int round = 0; round < 12; round++) {
                int n = window / 1460;
                for (int i = 0; i < n; i++) {
                    h.inject(seg(LISTEN_PORT, seq, h.isn + 1, ACK), bytes(1460, i));
                    seq += 1460;
                }
                h.advance(Duration.ofMillis(150));
                SentSegment last = h.drainLast();
                window = (last.header().window() << shift) - (seq - last.ack());
                largest = Math.max(largest, last.header().window() << shift);
            }
            assertTrue(largest > 2 * 1024 * 1024, "window grew from 64 KiB to " + largest);
            assertTrue(largest <= TcpConfig.defaults().maxReceiveBuffer(), "capped: " + largest);
            assertEquals(TcpConfig.defaults().maxReceiveBuffer(), c.receiveWindowTarget());
        }
    }

    @Test
    void keepAliveProbesAnIdlePeerAndGivesUp() {
        TcpConfig cfg = TcpConfig.defaults().withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3);
        try (TcpHarness h = new TcpHarness(cfg)) {
            TcpConnection c = h.acceptPlain();
            h.advance(Duration.ofMillis(9_999));
            h.expectNothing();
            h.advance(Duration.ofMillis(1));
            // RFC 1122 §4.2.3.6: SEG.SEQ = SND.NXT - 1, no data.
            h.expect(flags(ACK), seq(h.isn), ack(P), noPayload());
            h.inject(seg(LISTEN_PORT, P, h.isn + 1, ACK));
            h.advance(Duration.ofSeconds(9));
            h.expectNothing(); // the answer restarted the idle time
            h.advance(Duration.ofSeconds(1));
            h.expect(seq(h.isn));
            assertEquals(Duration.ofSeconds(1), h.advanceToNextDeadline());
            h.expect(seq(h.isn));
            assertEquals(Duration.ofSeconds(1), h.advanceToNextDeadline());
            h.expect(seq(h.isn));
            h.advanceToNextDeadline();
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(CloseReason.TIMED_OUT, c.closeReason());
        }
    }

    @Test
    void keepAliveIsOffByDefault() {
        try (TcpHarness h = new TcpHarness()) {
            h.acceptPlain();
            assertEquals(Long.MAX_VALUE, h.stack.nextDeadline());
        }
    }
}
