package atoll.openvpn.server;

import atoll.openvpn.control.ReliableChannel;
import atoll.openvpn.crypto.PacketIdWindow;
import atoll.openvpn.crypto.SessionCookie;
import atoll.openvpn.crypto.ControlProtection;
import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.Opcode;
import atoll.openvpn.wire.PacketFormatException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * OpenVPN's control channel, server side, over a datagram transport, as a sans-I/O engine: feed it
 * datagrams with {@link #receive}, call {@link #poll} at {@link #nextDeadline}, send what they
 * return. Time comes in as arguments (monotonic nanoseconds for timers, epoch seconds for
 * tls-crypt's net time). Not thread-safe: one event loop drives it.
 *
 * <p>Order of work on a datagram, cheapest first, so that garbage and floods cost no state:
 * opcode check; tls-crypt tag (nothing is parsed from an unauthenticated body); then, for an
 * address with no session, the stateless cookie: a HARD_RESET_CLIENT_V2 is answered with a
 * HARD_RESET_SERVER_V2 whose session id is {@link SessionCookie}'s HMAC and nothing is kept; only a
 * P_CONTROL_V1 acknowledging that id creates a session. Replayed tls-crypt packet ids are dropped
 * before the reliability layer sees them.
 *
 * <p>What runs over the control channel is TLS; this engine reassembles it in order and reports
 * the client's first record ({@link Action.TlsClientHello}). Terminating TLS, key method 2 and the
 * data channel are not implemented yet (see CONFORMANCE.md).
 */
public final class ControlServer {
    /** OpenVPN's {@code --hand-window} default: a handshake must finish within 60 s. */
    public static final long HAND_WINDOW_NANOS = 60_000_000_000L;
    /** The {@code ping-restart 60} the gateway pushes: a session silent this long is dropped. */
    public static final long PING_RESTART_NANOS = 60_000_000_000L;
    /** TLS record content type handshake (RFC 8446 §5.1) and handshake type client_hello (§4). */
    private static final int TLS_HANDSHAKE = 22;
    private static final int TLS_CLIENT_HELLO = 1;

    private final ControlProtection protection;
    private final SessionCookie cookie;
    private final int maxClients;
    /** Makes a TLS engine per session; null: no TLS (the ClientHello is only reported). */
    private final TlsEngines tlsEngines;
    private final java.util.function.Consumer<byte[]> randomness;
    /**
     * The PUSH_REPLY options (without "PUSH_REPLY,") for a peer and its certificate's common name
     * (null without client certificates), or null to refuse it; null: no push.
     */
    private java.util.function.BiFunction<Peer, String, Push> pushOptions;
    /** The data ciphers offered, in the server's order of preference (OpenVPN's --data-ciphers). */
    private List<atoll.openvpn.data.DataCipher> dataCiphers = List.of(atoll.openvpn.data.DataCipher.values());
    private final Map<Peer, Session> sessions = new HashMap<>();
    /** Sessions with a data channel, by the tunnel address pushed to them. */
    private final Map<Integer, Session> byTunnelAddress = new HashMap<>();
    private final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
    private long statelessResets;

    private static final class Session {
        final Peer peer;
        final long localSession;
        final long remoteSession;
        final ReliableChannel channel;
        final PacketIdWindow replay = new PacketIdWindow();
        final long openedAt;
        long lastHeard;
        long nextWrapId;
        int tlsOctets;
        byte[] tlsHead = new byte[0];
        boolean helloReported;
        atoll.tls.TlsServerEngine tls;
        java.io.ByteArrayOutputStream plaintext = new java.io.ByteArrayOutputStream();
        boolean keyExchanged;
        atoll.openvpn.data.DataChannel data;
        atoll.openvpn.wire.KeyMethod2 client;
        /** The pushed ifconfig address; 0 before the push. */
        int tunnelAddress;
        boolean badSourceReported;

        Session(Peer peer, long local, long remote, long now, long nextWrapId) {
            this.peer = peer;
            this.localSession = local;
            this.remoteSession = remote;
            this.channel = new ReliableChannel(0, local, remote, 1, 1);
            this.openedAt = now;
            this.lastHeard = now;
            this.nextWrapId = nextWrapId;
        }
    }

    /**
     * @param protection tls-crypt, tls-auth or none
     * @param maxClients sessions held at most (OpenVPN's {@code --max-clients})
     */
    public ControlServer(ControlProtection protection, SessionCookie cookie, int maxClients) {
        this(protection, cookie, maxClients, null, b -> { });
    }

    /** Makes the TLS engine of a new session. */
    @FunctionalInterface
    public interface TlsEngines {
        atoll.tls.TlsServerEngine newEngine() throws java.io.IOException;
    }

    /**
     * @param tlsEngines TLS per session (libos/tls), or null to stop at the ClientHello
     * @param randomness fills key method 2's random fields (the injected entropy)
     */
    public ControlServer(ControlProtection protection, SessionCookie cookie, int maxClients, TlsEngines tlsEngines,
            java.util.function.Consumer<byte[]> randomness) {
        this.protection = protection;
        this.cookie = cookie;
        this.maxClients = maxClients;
        this.tlsEngines = tlsEngines;
        this.randomness = randomness;
    }

    /** Sets how a PUSH_REQUEST is answered (see {@link #pushOptions}). */
    public void pushOptions(java.util.function.BiFunction<Peer, String, Push> options) {
        this.pushOptions = options;
    }

    /** Sets the data ciphers offered, most preferred first (OpenVPN's {@code --data-ciphers}). */
    public void dataCiphers(List<atoll.openvpn.data.DataCipher> ciphers) {
        if (ciphers.isEmpty()) {
            throw new IllegalArgumentException("no data cipher");
        }
        this.dataCiphers = List.copyOf(ciphers);
    }

    /** OpenVPN's default {@code --tls-mtu}: TLS octets carried per control packet at most. */
    static final int TLS_PAYLOAD_PER_PACKET = 1250;
    /** The largest key method 2 message buffered (ours; the strings are bounded by KeyMethod2.MAX_STRING). */
    static final int MAX_KEY_METHOD_MESSAGE = 4 * atoll.openvpn.wire.KeyMethod2.MAX_STRING;
    /**
     * The options string we send (OpenVPN compares the two sides' strings only to warn); the data
     * channel values are what a data channel would use once implemented.
     */
    static final String SERVER_OPTIONS = "V4,dev-type tun,link-mtu 1559,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,"
            + "auth [null-digest],keysize 256,key-method 2,tls-server";

    /** Handles one datagram from {@code peer}; never throws for any content. */
    public List<Action> receive(Peer peer, byte[] datagram, int offset, int length, long now, long epochSeconds) {
        List<Action> out = new ArrayList<>();
        if (length < 1) {
            return drop(Drop.MALFORMED, out);
        }
        Opcode op = Opcode.ofFirstOctet(datagram[offset]);
        if (op == null) {
            return drop(Drop.MALFORMED, out);
        }
        if (op.isData()) {
            Session alive = sessions.get(peer);
            if (alive == null || alive.data == null || op != Opcode.DATA_V2) {
                return drop(Drop.DATA_CHANNEL, out);
            }
            switch (alive.data.open(datagram, offset, length)) {
                case atoll.openvpn.data.DataChannel.Dropped d -> {
                    return drop(switch (d.reason()) {
                        case BAD_TAG -> Drop.DATA_BAD_TAG;
                        case REPLAY -> Drop.DATA_REPLAY;
                        default -> Drop.DATA_CHANNEL;
                    }, out);
                }
                case atoll.openvpn.data.DataChannel.Plaintext p -> {
                    alive.lastHeard = now;
                    if (java.util.Arrays.equals(p.octets(), PING)) {
                        // Keepalive: answer a ping with one (OpenVPN's --ping from our side too).
                        out.add(new Action.Send(peer, alive.data.seal(PING, 0, PING.length)));
                        out.add(new Action.DataPing(peer));
                    } else if (!isIpv4(p.octets())) {
                        drop(Drop.TUNNEL_NOT_IPV4, out);
                    } else if (fromTunnelAddress(p.octets(), alive.tunnelAddress)) {
                        out.add(new Action.TunnelPacket(peer, p.octets()));
                    } else {
                        // OpenVPN's server drops a client's packet whose source is not its own
                        // address ("bad source address from client") unless iroute says otherwise.
                        drop(Drop.TUNNEL_SOURCE, out);
                        if (!alive.badSourceReported) {
                            alive.badSourceReported = true; // once per session: a log line, not a flood
                            out.add(new Action.BadSource(peer, java.nio.ByteBuffer.wrap(p.octets(), 12, 4).getInt(),
                                    alive.tunnelAddress));
                        }
                    }
                    return out;
                }
            }
        }
        if (op == Opcode.CONTROL_HARD_RESET_CLIENT_V3 || op == Opcode.CONTROL_WKC_V1) {
            return drop(Drop.TLS_CRYPT_V2, out);
        }
        ControlPacket p;
        long wrapId;
        switch (protection.unwrap(datagram, offset, length)) {
            case ControlProtection.Rejected r -> {
                return drop(protection.hasPacketId() ? Drop.BAD_TAG : Drop.MALFORMED, out);
            }
            case ControlProtection.Authentic a -> {
                p = a.packet();
                wrapId = a.packetId();
            }
        }
        Session s = sessions.get(peer);
        if (s != null && s.remoteSession == p.sessionId() && p.opcode() != Opcode.CONTROL_HARD_RESET_CLIENT_V2) {
            if (protection.hasPacketId() && !s.replay.accept(wrapId)) {
                return drop(Drop.REPLAY, out);
            }
            s.lastHeard = now;
            onSessionPacket(s, p, now, epochSeconds, out);
            return out;
        }
        return stateless(peer, p, wrapId, now, epochSeconds, out);
    }

    /** RFC 791 §3.1: version 4 in the first nibble, and at least a minimal header. */
    private static boolean isIpv4(byte[] packet) {
        return packet.length >= 20 && (packet[0] & 0xf0) == 0x40;
    }

    /** RFC 791 §3.1: the source address at octets 12..15. */
    private static boolean fromTunnelAddress(byte[] packet, int tunnelAddress) {
        return tunnelAddress != 0 && java.nio.ByteBuffer.wrap(packet, 12, 4).getInt() == tunnelAddress;
    }

    /**
     * Seals {@code packet} (an IPv4 datagram) for the client whose tunnel address is
     * {@code tunnelAddress}: a send to its transport address, or null when no session with a data
     * channel holds that address.
     */
    public Action.Send sealTo(int tunnelAddress, byte[] packet, int offset, int length) {
        Session s = byTunnelAddress.get(tunnelAddress);
        if (s == null || s.data == null || sessions.get(s.peer) != s) {
            return null;
        }
        try {
            return new Action.Send(s.peer, s.data.seal(packet, offset, length));
        } catch (IllegalStateException e) {
            return null; // packet ids used up: the session must renegotiate (not implemented), drop
        }
    }

    private List<Action> stateless(Peer peer, ControlPacket p, long wrapId, long now, long epochSeconds, List<Action> out) {
        switch (p.opcode()) {
            case CONTROL_HARD_RESET_CLIENT_V2 -> {
                if (p.messageId() != 0 || p.keyId() != 0) {
                    return drop(Drop.UNEXPECTED, out);
                }
                // Stateless: the reply's session id is the cookie; a retransmitted reset gets the
                // same answer (within a slot), and a flood of resets costs no memory.
                statelessResets++;
                long sid = cookie.sessionId(peer.cookieInput(), p.sessionId(), now);
                ControlPacket reply = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, sid,
                        new long[] {0}, p.sessionId(), 0, new byte[0]);
                // The reply is tls-crypt packet id 1 of the session the client will open; the
                // session's own packets continue from 2 so that the client's replay window accepts them.
                out.add(new Action.Send(peer, wrap(reply, 1, epochSeconds)));
                return out;
            }
            case CONTROL_V1, ACK_V1 -> {
                if (p.ackCount() == 0 || !cookie.verify(peer.cookieInput(), p.sessionId(), p.remoteSessionId(), now)) {
                    return drop(Drop.NO_COOKIE, out);
                }
                if (p.opcode() == Opcode.ACK_V1) {
                    return out; // the ack of our reset: nothing to keep until the client sends TLS
                }
                Session old = sessions.get(peer);
                if (old == null && sessions.size() >= maxClients) {
                    return drop(Drop.MAX_CLIENTS, out);
                }
                Session s = new Session(peer, p.remoteSessionId(), p.sessionId(), now, 2);
                if (old != null) {
                    forgetAddress(old);
                    out.add(new Action.SessionClosed(peer, "replaced by a new session from the same address"));
                }
                sessions.put(peer, s);
                if (protection.hasPacketId()) {
                    s.replay.accept(wrapId);
                }
                out.add(new Action.SessionOpened(peer, p.sessionId()));
                onSessionPacket(s, p, now, epochSeconds, out);
                return out;
            }
            default -> {
                return drop(Drop.UNEXPECTED, out);
            }
        }
    }

    private void onSessionPacket(Session s, ControlPacket p, long now, long epochSeconds, List<Action> out) {
        if (p.opcode() != Opcode.CONTROL_V1 && p.opcode() != Opcode.ACK_V1) {
            drop(Drop.UNEXPECTED, out);
            return;
        }
        if (p.keyId() != 0) {
            drop(Drop.UNEXPECTED, out); // renegotiation (key ids 1..7) is not implemented
            return;
        }
        s.channel.receive(p);
        for (byte[] tls = s.channel.takeDelivered(); tls != null && sessions.get(s.peer) == s;
                tls = s.channel.takeDelivered()) {
            onTls(s, tls, out);
        }
        flush(s, now, epochSeconds, out);
    }

    private void onTls(Session s, byte[] tls, List<Action> out) {
        s.tlsOctets += tls.length;
        if (s.tlsHead.length < 6) {
            byte[] head = java.util.Arrays.copyOf(s.tlsHead, Math.min(6, s.tlsHead.length + tls.length));
            System.arraycopy(tls, 0, head, s.tlsHead.length, head.length - s.tlsHead.length);
            s.tlsHead = head;
        }
        if (!s.helloReported && s.tlsHead.length == 6
                && (s.tlsHead[0] & 0xff) == TLS_HANDSHAKE && (s.tlsHead[5] & 0xff) == TLS_CLIENT_HELLO) {
            s.helloReported = true;
            out.add(new Action.TlsClientHello(s.peer, s.tlsOctets));
        }
        if (tlsEngines != null) {
            runTls(s, tls, out);
        }
    }

    private void runTls(Session s, byte[] tls, List<Action> out) {
        try {
            if (s.tls == null) {
                s.tls = tlsEngines.newEngine();
            }
            s.tls.receive(tls, 0, tls.length);
            if (!s.tls.handshaking() && s.tls.applicationAvailable() > 0) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(s.tls.applicationAvailable());
                s.tls.readApplication(b, b.remaining());
                s.plaintext.write(b.array(), 0, b.position());
                if (s.plaintext.size() > MAX_KEY_METHOD_MESSAGE) {
                    close(s, "key method 2 message over " + MAX_KEY_METHOD_MESSAGE + " octets", out);
                    return;
                }
                if (!s.keyExchanged) {
                    keyMethod2(s, out);
                } else {
                    controlMessages(s, out);
                }
            }
            drainTls(s);
        } catch (atoll.tls.TlsFailure e) {
            drainTls(s); // the alert, if any
            close(s, "tls: " + e.getMessage(), out);
        } catch (java.io.IOException e) {
            close(s, "tls: " + e.getMessage(), out);
        }
    }

    private void keyMethod2(Session s, List<Action> out) throws java.io.IOException {
        atoll.openvpn.wire.KeyMethod2 client;
        try {
            client = atoll.openvpn.wire.KeyMethod2.parseClient(s.plaintext.toByteArray());
        } catch (PacketFormatException e) {
            if (e.getMessage().contains("truncated")) {
                return; // the rest is in a later record
            }
            close(s, "key method 2: " + e.getMessage(), out);
            return;
        }
        s.keyExchanged = true;
        s.client = client;
        s.plaintext.reset();
        byte[] r1 = new byte[atoll.openvpn.wire.KeyMethod2.RANDOM_LENGTH];
        byte[] r2 = new byte[atoll.openvpn.wire.KeyMethod2.RANDOM_LENGTH];
        randomness.accept(r1);
        randomness.accept(r2);
        byte[] reply = new atoll.openvpn.wire.KeyMethod2(new byte[0], r1, r2, SERVER_OPTIONS, "", "", "").toBytes();
        s.tls.send(reply, 0, reply.length);
        out.add(new Action.KeyExchanged(s.peer, client));
    }

    /**
     * Control messages after key method 2: NUL-terminated strings over TLS (OpenVPN's
     * {@code send_control_channel_string}). PUSH_REQUEST is answered with PUSH_REPLY; others are
     * ignored.
     */
    private void controlMessages(Session s, List<Action> out) throws java.io.IOException {
        byte[] all = s.plaintext.toByteArray();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                String message = new String(all, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
                start = i + 1;
                if (message.equals("PUSH_REQUEST") && pushOptions != null) {
                    if (s.data != null) {
                        continue; // a repeated request (its reply crossed it): keys are set already
                    }
                    var agreed = atoll.openvpn.data.CipherNegotiation.negotiate(dataCiphers, s.client.peerInfoMap());
                    if (agreed instanceof atoll.openvpn.data.CipherNegotiation.Refused r) {
                        close(s, "data channel: " + r.why(), out);
                        return;
                    }
                    var cipher = (atoll.openvpn.data.CipherNegotiation.Agreed) agreed;
                    if (!cipher.tlsEkm()) {
                        close(s, "data channel: the client lacks tls-ekm (IV_PROTO), and keys by the TLS PRF are not"
                                + " implemented", out);
                        return;
                    }
                    Push push = pushOptions.apply(s.peer, commonName(s));
                    if (push == null) {
                        close(s, "no address left in the pool", out);
                        return;
                    }
                    String options = push.options() + ",cipher " + cipher.cipher().openvpnName() + ",key-derivation tls-ekm";
                    byte[] reply = ("PUSH_REPLY," + options + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    s.tls.send(reply, 0, reply.length);
                    try {
                        s.data = dataChannel(s, cipher.cipher());
                    } catch (IllegalStateException e) {
                        close(s, "tls: no exported keying material: " + e.getMessage(), out);
                        return;
                    }
                    s.tunnelAddress = push.tunnelAddress();
                    byTunnelAddress.put(push.tunnelAddress(), s);
                    out.add(new Action.Pushed(s.peer, options, push.tunnelAddress()));
                }
            }
        }
        s.plaintext.reset();
        s.plaintext.write(all, start, all.length - start);
    }

    /** OpenVPN's ping: this 16-octet payload (its {@code ping_string}) in a data packet. */
    static final byte[] PING = java.util.HexFormat.of().parseHex("2a187bf3641eb4cb07ed2d0a981fc748");
    /** The tls-ekm exporter label (OpenVPN {@code ssl.c}); no context; two keys of 64+64 octets. */
    public static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";
    public static final int EKM_LENGTH = 256;

    /**
     * Data keys from the TLS exporter (tls-ekm): key 0 and key 1, each a 64-octet cipher part (the
     * cipher takes its first key-length octets: 32 for AES-256 and ChaCha20, 16 for AES-128) and a
     * 64-octet HMAC part whose first 8 octets are the AEAD implicit IV (OpenVPN's AEAD mode has no
     * HMAC).
     */
    private static atoll.openvpn.data.DataChannel dataChannel(Session s, atoll.openvpn.data.DataCipher cipher) {
        byte[] m = s.tls.exportedKeyingMaterial();
        int send = DATA_SEND_KEY * 128;
        int receive = (1 - DATA_SEND_KEY) * 128;
        int k = cipher.keyLength();
        return new atoll.openvpn.data.DataChannel(cipher, 0, 0,
                java.util.Arrays.copyOfRange(m, send, send + k), java.util.Arrays.copyOfRange(m, send + 64, send + 72),
                java.util.Arrays.copyOfRange(m, receive, receive + k), java.util.Arrays.copyOfRange(m, receive + 64, receive + 72));
    }

    /**
     * The exported key the server seals with; it opens with the other. The client seals with key 0
     * (OpenVPN's server takes the inverse key direction for data keys): a real 2.6 client's ping
     * opens with key 0 (OpenVpnClientTest).
     */
    static final int DATA_SEND_KEY = 1;

    /** The CN of the client's verified certificate, or null. */
    private static String commonName(Session s) {
        var cert = s.tls.clientCertificate();
        if (cert.isEmpty()) {
            return null;
        }
        try {
            for (var rdn : new javax.naming.ldap.LdapName(cert.get().getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return null;
        }
        return null;
    }

    private void drainTls(Session s) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(TLS_PAYLOAD_PER_PACKET);
        while (s.tls.pendingOutput() > 0) {
            b.clear();
            int n = s.tls.takeOutput(b, TLS_PAYLOAD_PER_PACKET);
            if (n <= 0 || !s.channel.offer(Opcode.CONTROL_V1, java.util.Arrays.copyOf(b.array(), n))) {
                return; // queue full: the session is stuck and its handshake window will end it
            }
        }
    }

    private void close(Session s, String why, List<Action> out) {
        if (sessions.remove(s.peer, s)) {
            forgetAddress(s);
            out.add(new Action.SessionClosed(s.peer, why));
        }
    }

    private void forgetAddress(Session s) {
        if (s.tunnelAddress != 0) {
            byTunnelAddress.remove(s.tunnelAddress, s);
        }
    }

    private void flush(Session s, long now, long epochSeconds, List<Action> out) {
        for (ControlPacket c : s.channel.poll(now)) {
            out.add(new Action.Send(s.peer, wrap(c, s.nextWrapId++, epochSeconds)));
        }
    }

    private byte[] wrap(ControlPacket p, long wrapId, long epochSeconds) {
        return protection.wrap(p, wrapId, epochSeconds);
    }

    /** Retransmissions due at {@code now}, and sessions whose handshake window passed. */
    public List<Action> poll(long now, long epochSeconds) {
        List<Action> out = new ArrayList<>();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            // OpenVPN --hand-window until the key exchange is done; then the ping-restart we push.
            if (!s.keyExchanged && now - s.openedAt >= HAND_WINDOW_NANOS) {
                it.remove();
                forgetAddress(s);
                out.add(new Action.SessionClosed(s.peer, "handshake window passed"));
                continue;
            }
            if (s.keyExchanged && now - s.lastHeard >= PING_RESTART_NANOS) {
                it.remove();
                forgetAddress(s);
                out.add(new Action.SessionClosed(s.peer, "nothing heard for the pushed ping-restart"));
                continue;
            }
            flush(s, now, epochSeconds, out);
        }
        return out;
    }

    /** Forgets {@code peer}'s session (its TCP connection closed); the actions say whether one existed. */
    public List<Action> forget(Peer peer, String why) {
        Session s = sessions.remove(peer);
        if (s != null) {
            forgetAddress(s);
        }
        return s == null ? List.of() : List.of(new Action.SessionClosed(peer, why));
    }

    /** When {@link #poll} should run next (Long.MAX_VALUE: only on the next datagram). */
    public long nextDeadline(long now) {
        long d = Long.MAX_VALUE;
        for (Session s : sessions.values()) {
            d = earlier(d, s.keyExchanged ? s.lastHeard + PING_RESTART_NANOS : s.openedAt + HAND_WINDOW_NANOS);
            d = earlier(d, s.channel.nextDeadline(now));
        }
        return d;
    }

    private static long earlier(long a, long b) {
        return a == Long.MAX_VALUE ? b : b == Long.MAX_VALUE ? a : (b - a < 0 ? b : a);
    }

    private List<Action> drop(Drop why, List<Action> out) {
        drops.merge(why, 1L, Long::sum);
        return out;
    }

    public long drops(Drop why) {
        return drops.getOrDefault(why, 0L);
    }

    public int sessionCount() {
        return sessions.size();
    }

    public long statelessResets() {
        return statelessResets;
    }
}
