package atoll.openvpn.server;

/** Why a datagram was dropped; each is counted ({@code openvpn.drops.<name>}). */
public enum Drop {
    /** Empty, or an opcode OpenVPN does not define. */
    MALFORMED,
    /** tls-crypt tag or tls-auth HMAC did not verify (wrong key, tampering): nothing else was looked at. */
    BAD_TAG,
    /** tls-crypt / tls-auth packet id seen before or too old. */
    REPLAY,
    /** A control packet from an address with no session whose ack does not echo a valid cookie. */
    NO_COOKIE,
    /** A new session refused: max-clients sessions exist. */
    MAX_CLIENTS,
    /** A data-channel packet that is not ours to open: no session keys yet, DATA_V1, wrong peer id or key id, too short. */
    DATA_CHANNEL,
    /** A data-channel packet whose AEAD tag did not verify (wrong key, tampering). */
    DATA_BAD_TAG,
    /** A data-channel packet id seen already or behind the replay window. */
    DATA_REPLAY,
    /** A decrypted tunnel packet that is not IPv4 (IPv6 in the tunnel is not supported). */
    TUNNEL_NOT_IPV4,
    /** A decrypted IPv4 packet whose source is not the client's own tunnel address (spoofing). */
    TUNNEL_SOURCE,
    /** HARD_RESET_CLIENT_V3 / CONTROL_WKC_V1: tls-crypt-v2 is not implemented yet. */
    TLS_CRYPT_V2,
    /** A packet for a session id that is not this peer's session, or an opcode not valid now. */
    UNEXPECTED,
    /** The peer's reliable queue is full. */
    OVERFLOW;

    public String metricName() {
        return "openvpn.drops." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
