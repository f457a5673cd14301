package atoll.tls;

import java.util.Optional;

/**
 * What a completed handshake agreed on, for logs, metrics and the application (which reads the
 * ALPN protocol to pick HTTP/2 or HTTP/1.1).
 *
 * @param version {@code TLSv1.3} or {@code TLSv1.2}
 * @param cipherSuite the IANA cipher suite number (RFC 8446 §B.4, RFC 5289)
 * @param group the key exchange group's IANA name ({@code X25519MLKEM768}, {@code x25519}, ...)
 * @param applicationProtocol the ALPN protocol selected, if any
 * @param serverName the SNI host name the client sent, if any
 * @param resumed whether an earlier session was resumed (abbreviated handshake)
 */
public record TlsSessionInfo(String version, int cipherSuite, String group, Optional<String> applicationProtocol,
        Optional<String> serverName, boolean resumed) {}
