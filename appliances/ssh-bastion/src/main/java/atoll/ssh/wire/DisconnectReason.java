package atoll.ssh.wire;

/** SSH_MSG_DISCONNECT reason codes (RFC 4250 §4.2.2). */
public enum DisconnectReason {
    HOST_NOT_ALLOWED_TO_CONNECT(1),
    PROTOCOL_ERROR(2),
    KEY_EXCHANGE_FAILED(3),
    MAC_ERROR(5),
    SERVICE_NOT_AVAILABLE(7),
    PROTOCOL_VERSION_NOT_SUPPORTED(8),
    CONNECTION_LOST(10),
    BY_APPLICATION(11),
    TOO_MANY_CONNECTIONS(12),
    NO_MORE_AUTH_METHODS_AVAILABLE(14);

    public final int code;

    DisconnectReason(int code) {
        this.code = code;
    }
}
