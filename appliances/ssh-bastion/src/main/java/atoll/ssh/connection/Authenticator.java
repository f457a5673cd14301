package atoll.ssh.connection;

import java.net.InetAddress;

/** Decides which user keys may log in, and where each may go. */
public interface Authenticator {

    /**
     * The grant for {@code user} presenting the public key {@code blob} from {@code source}, or a
     * rejection with the reason (for the audit log; the client only learns that it failed).
     */
    AuthDecision lookup(String user, byte[] blob, InetAddress source);
}
