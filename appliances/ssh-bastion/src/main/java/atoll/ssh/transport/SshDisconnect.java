package atoll.ssh.transport;

import atoll.ssh.wire.DisconnectReason;

/** A condition that ends the connection with SSH_MSG_DISCONNECT (RFC 4253 §11.1) and this reason. */
public final class SshDisconnect extends Exception {
    public final DisconnectReason reason;

    public SshDisconnect(DisconnectReason reason, String description) {
        super(description);
        this.reason = reason;
    }
}
