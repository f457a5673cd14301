package atoll.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a TLS server offers.
 *
 * @param identities certificates to choose from by SNI; the first is the default, used when the
 *     client sends no server name or one that no certificate covers
 * @param applicationProtocols ALPN protocol names in the server's order of preference (RFC 7301
 *     §3.2: the server selects), e.g. {@code h2, http/1.1}; empty to ignore ALPN
 * @param sessionCacheSize TLS 1.2 sessions kept for resumption by session ID (RFC 5246 §7.4.1.2);
 *     0 disables resumption, by session ID and by RFC 5077 ticket alike
 * @param sessionLifetime how long a cached TLS 1.2 session or a session ticket may be resumed;
 *     also the ticket-key rotation period (a key seals tickets for one lifetime and opens them
 *     for one more)
 */
public record TlsSettings(List<ServerIdentity> identities, List<String> applicationProtocols, int sessionCacheSize,
        Duration sessionLifetime) {
    public TlsSettings {
        identities = List.copyOf(identities);
        applicationProtocols = List.copyOf(applicationProtocols);
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("no server certificate");
        }
        if (sessionCacheSize < 0) {
            throw new IllegalArgumentException("session cache size " + sessionCacheSize);
        }
    }
}
