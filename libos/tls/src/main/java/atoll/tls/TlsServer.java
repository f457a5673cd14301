package atoll.tls;

import atoll.libos.entropy.Entropy;
import atoll.libos.net.TcpFlow;
import atoll.libos.time.Clock;
import java.io.IOException;
import java.time.Duration;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The server side of TLS 1.3 and 1.2 for an appliance: turns accepted {@link TcpFlow}s into
 * {@link TlsFlow}s (or hands out bare {@link TlsServerEngine}s for a loop of one's own). One per
 * listening configuration; thread-safe.
 */
public final class TlsServer {
    private final TlsSettings settings;
    private final TlsCrypto crypto;
    private final SessionCache sessions;
    private final SessionTickets tickets;
    private final Clock clock;

    public TlsServer(TlsSettings settings, Entropy entropy, Clock clock) {
        this(settings, entropy, clock, TlsCryptoChoice.JDK);
    }

    public TlsServer(TlsSettings settings, Entropy entropy, Clock clock, TlsCryptoChoice choice) {
        this.settings = settings;
        this.clock = clock;
        this.crypto = switch (choice) {
            case JDK -> TlsCryptoFactory.create(new EntropyRandom(entropy));
            case BOUNCY_CASTLE -> new BcTlsCrypto(new EntropyRandom(entropy));
        };
        this.sessions = new SessionCache(settings.sessionCacheSize(), settings.sessionLifetime());
        this.tickets = settings.sessionCacheSize() == 0 ? null
                : new SessionTickets(new EntropyRandom(entropy), settings.sessionLifetime());
    }

    public TlsSettings settings() {
        return settings;
    }

    /** A new server-side engine for one connection that requires a client certificate validating against {@code clients}. */
    public TlsServerEngine newEngine(ClientCertificates clients) throws IOException {
        return new TlsServerEngine(new AtollTlsServer(crypto, settings, sessions, tickets, clock::nanoTime)
                .requireClientCertificates(clients));
    }

    /**
     * As {@link #newEngine(ClientCertificates)}, and exports {@code length} octets of keying
     * material under {@code label} when the handshake completes ({@link
     * TlsServerEngine#exportedKeyingMaterial()}; OpenVPN's tls-ekm, for instance).
     */
    public TlsServerEngine newEngine(ClientCertificates clients, String exportLabel, int exportLength) throws IOException {
        AtollTlsServer s = new AtollTlsServer(crypto, settings, sessions, tickets, clock::nanoTime).exportAtHandshake(exportLabel,
                exportLength);
        return new TlsServerEngine(clients == null ? s : s.requireClientCertificates(clients));
    }

    /** A new server-side engine for one connection. */
    public TlsServerEngine newEngine() throws IOException {
        return new TlsServerEngine(new AtollTlsServer(crypto, settings, sessions, tickets, clock::nanoTime));
    }

    /**
     * Runs the handshake on {@code raw} and returns the encrypted flow. On failure the buffers are
     * released and the exception thrown (the caller closes {@code raw}, as the stack does when the
     * handler returns).
     *
     * <p>The flow's two buffers come from {@code raw}'s share ({@link TcpFlow#acquireBuffer}).
     *
     * @param handshakeTimeout longest time for the whole handshake (the flow's deadlines until then)
     */
    public TlsFlow accept(TcpFlow raw, Duration handshakeTimeout) throws IOException {
        TlsFlow flow = new TlsFlow(raw, newEngine());
        boolean ok = false;
        try {
            flow.handshake(handshakeTimeout);
            ok = true;
            return flow;
        } finally {
            if (!ok) {
                flow.close();
            }
        }
    }

    /** TLS 1.2 sessions currently resumable. */
    public int cachedSessions() {
        return sessions.size();
    }
}
