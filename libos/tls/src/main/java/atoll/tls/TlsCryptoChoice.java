package atoll.tls;

/** Which implementation of the TLS primitives a {@link TlsServer} uses. */
public enum TlsCryptoChoice {
    /**
     * Bouncy Castle's JCA-backed crypto over the JDK's providers (AES-GCM with AES-NI,
     * ChaCha20-Poly1305, X25519, ECDSA, RSA), Bouncy Castle only for ML-KEM and RSASSA-PSS names:
     * the default.
     */
    JDK,
    /** Bouncy Castle's pure-Java crypto ({@code BcTlsCrypto}) for everything: for comparison. */
    BOUNCY_CASTLE
}
