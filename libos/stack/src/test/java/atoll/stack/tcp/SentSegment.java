package atoll.stack.tcp;

import atoll.stack.wire.TcpRepr;

/** A segment the stack under test sent, parsed (checksum verified) for checkers; with the time it left. */
public record SentSegment(TcpRepr header, byte[] payload, long sentAt) {
    public int seq() {
        return header.seq().value();
    }

    public int ack() {
        return header.ack().value();
    }

    public int tsVal() {
        return header.timestamps().orElseThrow().tsVal();
    }

    @Override
    public String toString() {
        return Checker.flagNames(header.flags()) + " seq=" + header.seq() + " ack=" + header.ack() + " win="
                + header.window() + " len=" + payload.length + " at " + sentAt + " ns";
    }
}
