package atoll.stack.tcp;

/** What a {@link TcpStack} counted: drops by cause and protocol events. Read on the stack's thread. */
public final class TcpCounters {
    long segmentsReceived;
    long segmentsSent;
    long badChecksum;
    long malformed;
    long noConnection;
    long resetsSent;
    long retransmissions;
    long timeouts;
    long fastRecoveries;
    long challengeAcks;
    long challengeAcksSuppressed;
    long outOfWindow;
    long pawsRejected;
    long synCookiesSent;
    long synCookiesAccepted;
    long outOfOrderDropped;
    long transmitDropped;
    long internalErrors;
    long refusedByAdmission;

    public long segmentsReceived() {
        return segmentsReceived;
    }

    public long segmentsSent() {
        return segmentsSent;
    }

    /** Segments dropped because the checksum over pseudo-header and segment was wrong. */
    public long badChecksum() {
        return badChecksum;
    }

    /** Segments dropped because the header or an option was malformed. */
    public long malformed() {
        return malformed;
    }

    /** Segments for no connection and no listener (answered with RST unless they were one). */
    public long noConnection() {
        return noConnection;
    }

    /** Connections a transparent listener's {@link TcpAdmission} refused (answered with a reset). */
    public long refusedByAdmission() {
        return refusedByAdmission;
    }

    public long resetsSent() {
        return resetsSent;
    }

    /** Segments sent again (timeouts, fast retransmit, SACK recovery). */
    public long retransmissions() {
        return retransmissions;
    }

    /** Retransmission timer expirations. */
    public long timeouts() {
        return timeouts;
    }

    /** Entries into fast retransmit / loss recovery. */
    public long fastRecoveries() {
        return fastRecoveries;
    }

    /** RFC 5961 challenge ACKs sent. */
    public long challengeAcks() {
        return challengeAcks;
    }

    /** RFC 5961 §7 challenge ACKs not sent because the connection's limit was reached. */
    public long challengeAcksSuppressed() {
        return challengeAcksSuppressed;
    }

    /** Segments outside the receive window (RFC 9293 §3.10.7.4), answered with an ACK. */
    public long outOfWindow() {
        return outOfWindow;
    }

    /** RFC 7323 §5 PAWS rejections. */
    public long pawsRejected() {
        return pawsRejected;
    }

    public long synCookiesSent() {
        return synCookiesSent;
    }

    public long synCookiesAccepted() {
        return synCookiesAccepted;
    }

    /** Out-of-order segments dropped because the reassembly queue was full. */
    public long outOfOrderDropped() {
        return outOfOrderDropped;
    }

    /** Segments not sent because the buffer pool was exhausted (sent later by the timers). */
    public long transmitDropped() {
        return transmitDropped;
    }

    /** Exceptions caught from the engine or a handler (the connection was aborted); zero in a healthy stack. */
    public long internalErrors() {
        return internalErrors;
    }
}
