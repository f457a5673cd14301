package atoll.tls;

import java.io.IOException;

/**
 * A TLS connection failed: a fatal alert was raised by us (bad input, no common parameters) or
 * received from the peer. The alert, if any, has been queued for sending.
 */
public final class TlsFailure extends IOException {
    public TlsFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
