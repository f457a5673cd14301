package atoll.openvpn.server;

/** What the {@link ControlServer} asks its driver to do, or tells it happened. */
public sealed interface Action {
    /** Send {@code datagram} to {@code peer}. */
    record Send(Peer peer, byte[] datagram) implements Action {}

    /** A client proved its address with the cookie and got session state. */
    record SessionOpened(Peer peer, long clientSessionId) implements Action {}

    /** The first TLS record from a client arrived over the control channel and is a ClientHello. */
    record TlsClientHello(Peer peer, int tlsOctets) implements Action {}

    /** TLS completed and the client's key method 2 message arrived; ours was sent in reply. */
    record KeyExchanged(Peer peer, atoll.openvpn.wire.KeyMethod2 client) implements Action {}

    /**
     * The client asked for its configuration and was sent {@code options}, which give it
     * {@code tunnelAddress}: packets to that address now go to this session.
     */
    record Pushed(Peer peer, String options, int tunnelAddress) implements Action {}

    /** A keepalive ping arrived on the data channel (decrypted) and was answered. */
    record DataPing(Peer peer) implements Action {}

    /**
     * An IPv4 packet from the client's tunnel, decrypted and checked to come from its tunnel
     * address: the gateway terminates or relays it.
     */
    record TunnelPacket(Peer peer, byte[] packet) implements Action {}

    /**
     * The first packet of a session dropped because its IPv4 source is not the client's tunnel
     * address (later ones are only counted).
     */
    record BadSource(Peer peer, int source, int tunnelAddress) implements Action {}

    /** A session was dropped: its handshake window passed, or the client said it is leaving. */
    record SessionClosed(Peer peer, String why) implements Action {}
}
