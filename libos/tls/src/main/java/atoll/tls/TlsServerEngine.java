package atoll.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerProtocol;

/**
 * One server-side TLS connection as a sans-I/O engine (DESIGN §5): bytes received from the
 * network go in through {@link #receive}, bytes to send come out of {@link #takeOutput},
 * decrypted application data out of {@link #readApplication}, and application data to encrypt
 * goes in through {@link #send}. No sockets, threads or clocks; Bouncy Castle's
 * {@link TlsServerProtocol} in its non-blocking mode does the protocol. Not thread-safe: the
 * caller serialises calls.
 */
public final class TlsServerEngine {
    private final TlsServerProtocol protocol = new TlsServerProtocol();
    private final AtollTlsServer server;
    private boolean failed;

    TlsServerEngine(AtollTlsServer server) throws IOException {
        this.server = server;
        protocol.accept(server);
    }

    /**
     * Feeds bytes received from the peer (any split: partial records are kept until complete).
     *
     * @throws TlsFailure on a fatal alert either way; the alert we raised is in the output
     */
    public void receive(byte[] bytes, int offset, int length) throws TlsFailure {
        if (failed || protocol.isClosed()) {
            return; // after close or failure, input is dropped
        }
        try {
            protocol.offerInput(bytes, offset, length);
        } catch (TlsFatalAlertReceived e) {
            failed = true;
            throw new TlsFailure("peer sent a fatal alert: " + e.getMessage(), e);
        } catch (TlsFatalAlert e) {
            failed = true;
            throw new TlsFailure("tls alert " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new TlsFailure("tls failure: " + e, e);
        }
    }

    /** Bytes waiting to be sent to the peer. */
    public int pendingOutput() {
        return protocol.getAvailableOutputBytes();
    }

    /** Moves up to {@code max} bytes to send into {@code into} (from its position); returns the count. */
    public int takeOutput(ByteBuffer into, int max) {
        return protocol.readOutput(into, Math.min(max, into.remaining()));
    }

    /** Decrypted application bytes waiting to be read. */
    public int applicationAvailable() {
        return protocol.getAvailableInputBytes();
    }

    /** Moves up to {@code max} decrypted bytes into {@code into} (from its position); returns the count. */
    public int readApplication(ByteBuffer into, int max) {
        return protocol.readInput(into, Math.min(max, into.remaining()));
    }

    /** Encrypts application bytes; the records are then in the output. */
    public void send(byte[] bytes, int offset, int length) throws IOException {
        if (failed || protocol.isClosed()) {
            throw new IOException("tls connection is closed");
        }
        protocol.writeApplicationData(bytes, offset, length);
    }

    /** Whether the handshake is still going on. */
    public boolean handshaking() {
        return !failed && !protocol.isClosed() && !protocol.isConnected();
    }

    /** Whether the connection is closed (close_notify either way, or failure). */
    public boolean closed() {
        return failed || protocol.isClosed();
    }

    /** Largest plaintext per record (RFC 8446 §5.1: 2^14). */
    public int recordPayloadLimit() {
        return protocol.getApplicationDataLimit();
    }

    /** Queues close_notify (RFC 8446 §6.1) and closes. Idempotent. */
    public void close() {
        if (!protocol.isClosed()) {
            try {
                protocol.close();
            } catch (IOException e) {
                failed = true;
            }
        }
    }

    /** What the handshake agreed, once it is done. */
    public Optional<TlsSessionInfo> session() {
        return Optional.ofNullable(server.info());
    }

    /** The client's verified certificate (engines made with {@link ClientCertificates}), once received. */
    public Optional<java.security.cert.X509Certificate> clientCertificate() {
        return Optional.ofNullable(server.clientCertificate());
    }

    /**
     * The keying material asked for with {@link TlsServer#newEngine(ClientCertificates, String, int)}
     * (RFC 5705; RFC 8446 §7.5 for TLS 1.3; no context), once the handshake completed.
     *
     * @throws IllegalStateException while handshaking, or if none was asked for
     */
    public byte[] exportedKeyingMaterial() {
        byte[] m = server.exported();
        if (m == null) {
            throw new IllegalStateException("no keying material: handshaking, or none asked for");
        }
        return m;
    }
}
