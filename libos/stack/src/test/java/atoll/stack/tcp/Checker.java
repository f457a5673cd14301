package atoll.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.SackBlock;
import atoll.stack.wire.TcpHeader;
import java.util.List;

/**
 * One assertion about a segment the stack sent, in the style of gVisor's {@code checker}
 * package: small checkers composed per expectation,
 * {@code h.expect(flags(SYN | ACK), ack(isn + 1), mss(1460))}.
 */
@FunctionalInterface
public interface Checker {

    void check(SentSegment s);

    /** Exactly these control bits. */
    static Checker flags(int flags) {
        return s -> assertEquals(flagNames(flags), flagNames(s.header().flags()), "flags of " + s);
    }

    /** At least these control bits. */
    static Checker flagsInclude(int flags) {
        return s -> assertEquals(flags, s.header().flags() & flags, "flags of " + s);
    }

    static Checker seq(int seq) {
        return s -> assertEquals(Integer.toUnsignedString(seq), s.header().seq().toString(), "SEG.SEQ of " + s);
    }

    static Checker ack(int ack) {
        return s -> assertEquals(Integer.toUnsignedString(ack), s.header().ack().toString(), "SEG.ACK of " + s);
    }

    /** The raw (unscaled) window field. */
    static Checker window(int window) {
        return s -> assertEquals(window, s.header().window(), "SEG.WND of " + s);
    }

    static Checker windowAtLeast(int window) {
        return s -> assertTrue(s.header().window() >= window, "SEG.WND of " + s + " below " + window);
    }

    static Checker mss(int mss) {
        return s -> assertEquals(mss, s.header().mss().orElse(-1), "MSS option of " + s);
    }

    static Checker windowScale(int shift) {
        return s -> assertEquals(shift, s.header().windowShift().orElse(-1), "window scale option of " + s);
    }

    static Checker noWindowScale() {
        return s -> assertTrue(s.header().windowShift().isEmpty(), "window scale option in " + s);
    }

    static Checker sackPermitted(boolean present) {
        return s -> assertEquals(present, s.header().sackPermitted(), "SACK-permitted option of " + s);
    }

    static Checker timestamps(boolean present) {
        return s -> assertEquals(present, s.header().timestamps().isPresent(), "timestamps option of " + s);
    }

    static Checker tsEcr(int echo) {
        return s -> assertEquals(echo, s.header().timestamps().orElseThrow().tsEcr(), "TSecr of " + s);
    }

    static Checker sackBlocks(SackBlock... blocks) {
        return s -> assertEquals(List.of(blocks), s.header().sackBlocks(), "SACK blocks of " + s);
    }

    static Checker noSack() {
        return s -> assertTrue(s.header().sackBlocks().isEmpty(), "SACK blocks in " + s);
    }

    static Checker payload(byte[] bytes) {
        return s -> assertArrayEquals(bytes, s.payload(), "payload of " + s);
    }

    static Checker payloadLength(int n) {
        return s -> assertEquals(n, s.payload().length, "payload length of " + s);
    }

    static Checker noPayload() {
        return payloadLength(0);
    }

    static Checker ports(int src, int dst) {
        return s -> {
            assertEquals(src, s.header().srcPort(), "source port of " + s);
            assertEquals(dst, s.header().dstPort(), "destination port of " + s);
        };
    }

    static Checker not(int flag) {
        return s -> assertFalse(s.header().has(flag), "flag " + flagNames(flag) + " set in " + s);
    }

    static String flagNames(int flags) {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(names[i]);
            }
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    int FIN = TcpHeader.FIN;
    int SYN = TcpHeader.SYN;
    int RST = TcpHeader.RST;
    int PSH = TcpHeader.PSH;
    int ACK = TcpHeader.ACK_FLAG;
}
