package atoll.stack.tcp;

/** Why a connection reached CLOSED; given to {@link TcpHandler#closed}. */
public enum CloseReason {
    /** Both sides closed and every byte was acknowledged (after TIME-WAIT or LAST-ACK). */
    NORMAL,
    /** The peer reset the connection (RST in a synchronized state). */
    RESET,
    /** The peer refused the connection (RST in answer to our SYN). */
    REFUSED,
    /** Retransmissions or keepalive probes went unanswered (RFC 1122 §4.2.3.5, R2). */
    TIMED_OUT,
    /** The application aborted it ({@link TcpConnection#abort}). */
    ABORTED
}
