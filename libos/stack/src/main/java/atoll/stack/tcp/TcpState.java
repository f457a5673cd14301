package atoll.stack.tcp;

/** The connection states of RFC 9293 §3.3.2 (LISTEN is the {@link TcpListener}'s, not a connection's). */
public enum TcpState {
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED;

    /** RFC 9293 §3.3.2: the states after the handshake has completed ("synchronized states"). */
    public boolean isSynchronized() {
        return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
    }

    /** States in which the application may still send data. */
    boolean canSend() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }

    /** States in which data from the peer is still accepted (RFC 9293 §3.10.7.4, seventh step). */
    boolean canReceive() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }
}
