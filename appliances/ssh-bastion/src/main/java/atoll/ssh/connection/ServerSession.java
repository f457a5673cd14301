package atoll.ssh.connection;

import atoll.ssh.auth.OpenSshCertificate;
import atoll.ssh.auth.PublicKeys;
import atoll.ssh.transport.HostKey;
import atoll.ssh.transport.ServerTransport;
import atoll.ssh.transport.SshDisconnect;
import atoll.ssh.transport.UpperLayer;
import atoll.ssh.wire.DisconnectReason;
import atoll.ssh.wire.MessageNumbers;
import atoll.ssh.wire.SshFormatException;
import atoll.ssh.wire.SshReader;
import atoll.ssh.wire.SshWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The authentication protocol (RFC 4252, public key only) and the connection protocol (RFC 4254,
 * direct-tcpip channels only) over a {@link ServerTransport}, sans-I/O: decisions that need the
 * outside world (connecting to a destination, writing its data) come out as {@link SessionEvent}s,
 * and the caller answers through the methods here.
 */
public final class ServerSession implements UpperLayer {
    /** OpenSSH's defaults: a 2 MiB window and 32 KiB packets (CHAN_TCP_WINDOW_DEFAULT, _PACKET_DEFAULT). */
    public static final int LOCAL_WINDOW = 2 * 1024 * 1024;
    public static final int LOCAL_MAX_PACKET = 32 * 1024;
    /** RFC 4254 §5.1 channel open failure reason codes. */
    static final int ADMINISTRATIVELY_PROHIBITED = 1;
    public static final int CONNECT_FAILED = 2;
    static final int UNKNOWN_CHANNEL_TYPE = 3;
    static final int RESOURCE_SHORTAGE = 4;

    private final ServerTransport transport;
    private final Authenticator authenticator;
    private final SessionPolicy policy;
    private final InetAddress source;
    private final List<SessionEvent> events = new ArrayList<>();
    private final Map<Integer, Channel> channels = new HashMap<>();
    private int nextChannel;
    private boolean serviceAccepted;
    private String user;
    private String fingerprint;
    private AuthDecision.Accepted grant;
    private int failures;
    /** The payload being handled, so channel data can be handed out as a slice of it. */
    private byte[] current;

    /** Reused for every CHANNEL_DATA message (the transport copies what it queues). */
    private final SshWriter dataWriter = new SshWriter(LOCAL_MAX_PACKET + 16);

    /** One open channel's state (RFC 4254 §5). */
    static final class Channel {
        final int local;
        final int remote;
        long remoteWindow;
        final int remoteMaxPacket;
        long localWindow = LOCAL_WINDOW;
        long consumedSinceAdjust;
        boolean confirmed;
        boolean eofSent;
        boolean closeSent;
        boolean closeReceived;
        long bytesFromClient;
        long bytesToClient;

        Channel(int local, int remote, long remoteWindow, int remoteMaxPacket) {
            this.local = local;
            this.remote = remote;
            this.remoteWindow = remoteWindow;
            this.remoteMaxPacket = remoteMaxPacket;
        }
    }

    public ServerSession(ServerTransport transport, Authenticator authenticator, SessionPolicy policy, InetAddress source) {
        this.transport = transport;
        this.authenticator = authenticator;
        this.policy = policy;
        this.source = source;
        transport.upperLayer(this);
    }

    /** Takes the events produced since the last call. */
    public List<SessionEvent> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<SessionEvent> e = List.copyOf(events);
        events.clear();
        return e;
    }

    @Override
    public void onMessage(byte[] payload) throws SshDisconnect {
        current = payload;
        int type = payload[0] & 0xff;
        SshReader r = new SshReader(payload, 1, payload.length - 1);
        try {
            switch (type) {
                case MessageNumbers.SERVICE_REQUEST -> serviceRequest(r.text());
                case MessageNumbers.EXT_INFO -> { }
                case MessageNumbers.USERAUTH_REQUEST -> userauth(r);
                default -> {
                    if (grant == null) {
                        // RFC 4252 §6: no connection protocol message before authentication.
                        throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "message " + type + " before authentication");
                    }
                    connection(type, r);
                }
            }
        } catch (SshFormatException e) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "malformed message " + type + ": " + e.getMessage());
        }
    }

    private void serviceRequest(String service) throws SshDisconnect {
        // RFC 4253 §10: a service the server does not offer ends the connection.
        if (!service.equals("ssh-userauth") || serviceAccepted) {
            throw new SshDisconnect(DisconnectReason.SERVICE_NOT_AVAILABLE, "service not available: " + service);
        }
        serviceAccepted = true;
        transport.send(new SshWriter(32).byte8(MessageNumbers.SERVICE_ACCEPT).string(service).toByteArray());
    }

    private void userauth(SshReader r) throws SshDisconnect, SshFormatException {
        if (!serviceAccepted) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "authentication before ssh-userauth was accepted");
        }
        if (grant != null) {
            // RFC 4252 §5.1: requests after success SHOULD be ignored.
            return;
        }
        String name = r.text();
        String service = r.text();
        String method = r.text();
        if (!service.equals("ssh-connection")) {
            throw new SshDisconnect(DisconnectReason.SERVICE_NOT_AVAILABLE, "service not available: " + service);
        }
        if (!method.equals("publickey")) {
            // RFC 4252 §5.2: "none" lists the methods that can continue; it is not counted.
            if (!method.equals("none")) {
                fail(name, null, "method " + method + " not offered");
            } else {
                sendFailure();
            }
            return;
        }
        boolean signed = r.bool();
        String alg = r.text();
        byte[] blob = r.string();
        byte[] signature = signed ? r.string() : null;
        r.end();
        // For a certificate (PROTOCOL.certkeys) the user signs with the certified key, under the
        // plain algorithm name; the certificate itself is judged by the Authenticator.
        byte[] signingKey = blob;
        String signingAlgorithm;
        String type;
        try {
            type = PublicKeys.keyType(blob);
            if (OpenSshCertificate.isCertificateType(type)) {
                signingKey = OpenSshCertificate.wrap(blob).certifiedKey();
                signingAlgorithm = OpenSshCertificate.plainAlgorithm(alg, type);
            } else {
                PublicKeys.check(blob);
                signingAlgorithm = PublicKeys.algorithmFits(alg, type) ? alg : null;
            }
        } catch (SshFormatException e) {
            fail(name, HostKey.fingerprint(blob), "bad key: " + e.getMessage());
            return;
        }
        String fp = HostKey.fingerprint(signingKey);
        if (signingAlgorithm == null) {
            fail(name, fp, "signature algorithm " + alg + " not accepted for a " + type + " key");
            return;
        }
        AuthDecision decision = authenticator.lookup(name, blob, source);
        if (decision instanceof AuthDecision.Rejected(String reason)) {
            fail(name, fp, reason);
            return;
        }
        if (!signed) {
            // RFC 4252 §7: the key is acceptable; the client will sign.
            transport.send(new SshWriter(blob.length + 64).byte8(MessageNumbers.USERAUTH_PK_OK).string(alg).string(blob)
                    .toByteArray());
            return;
        }
        // RFC 4252 §7: the signature covers session identifier and the request without the signature.
        byte[] signedData = new SshWriter(256 + blob.length).string(transport.sessionId())
                .byte8(MessageNumbers.USERAUTH_REQUEST).string(name).string(service).string("publickey").bool(true)
                .string(alg).string(blob).toByteArray();
        if (!PublicKeys.verify(signingKey, signingAlgorithm, signature, signedData)) {
            fail(name, fp, "bad signature");
            return;
        }
        grant = (AuthDecision.Accepted) decision;
        user = name;
        fingerprint = fp;
        transport.send(new byte[] {MessageNumbers.USERAUTH_SUCCESS});
        events.add(new SessionEvent.Authenticated(name, fp, grant.certificate()));
    }

    private void fail(String name, String fp, String reason) throws SshDisconnect {
        failures++;
        events.add(new SessionEvent.AuthRejected(name, fp, reason));
        if (failures >= policy.maxAuthTries()) {
            throw new SshDisconnect(DisconnectReason.NO_MORE_AUTH_METHODS_AVAILABLE, "Too many authentication failures");
        }
        sendFailure();
    }

    private void sendFailure() {
        transport.send(new SshWriter(32).byte8(MessageNumbers.USERAUTH_FAILURE).nameList(List.of("publickey"))
                .bool(false).toByteArray());
    }

    private void connection(int type, SshReader r) throws SshDisconnect, SshFormatException {
        switch (type) {
            case MessageNumbers.GLOBAL_REQUEST -> {
                r.text();
                if (r.bool()) {
                    // RFC 4254 §4: no global request is supported (no remote forwarding).
                    transport.send(new byte[] {MessageNumbers.REQUEST_FAILURE});
                }
            }
            case MessageNumbers.CHANNEL_OPEN -> channelOpen(r);
            case MessageNumbers.CHANNEL_WINDOW_ADJUST -> {
                Channel c = channel(r.int32());
                long add = r.uint32();
                c.remoteWindow += add;
                // RFC 4254 §5.2: the window MUST NOT exceed 2^32 - 1 octets.
                if (c.remoteWindow > 0xffff_ffffL) {
                    throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "window grows past 2^32 - 1");
                }
                events.add(new SessionEvent.WindowOpened(c.local));
            }
            case MessageNumbers.CHANNEL_DATA -> {
                Channel c = channel(r.int32());
                int at = r.stringInPlace();
                int length = r.position() - at;
                // RFC 4254 §5.2: data beyond the window or the maximum packet size is an error.
                if (length > c.localWindow || length > LOCAL_MAX_PACKET) {
                    throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "channel data beyond the window");
                }
                c.localWindow -= length;
                c.bytesFromClient += length;
                if (!c.closeSent && length > 0) {
                    events.add(new SessionEvent.Data(c.local, current, at, length));
                }
            }
            case MessageNumbers.CHANNEL_EXTENDED_DATA -> {
                Channel c = channel(r.int32());
                r.uint32();
                byte[] data = r.string();
                c.localWindow -= data.length;
                consumed(c.local, data.length);
            }
            case MessageNumbers.CHANNEL_EOF -> events.add(new SessionEvent.Eof(channel(r.int32()).local));
            case MessageNumbers.CHANNEL_CLOSE -> {
                Channel c = channel(r.int32());
                c.closeReceived = true;
                if (!c.closeSent) {
                    // RFC 4254 §5.3: a party receiving CLOSE MUST send back CLOSE.
                    c.closeSent = true;
                    transport.send(new SshWriter(8).byte8(MessageNumbers.CHANNEL_CLOSE).uint32(c.remote).toByteArray());
                }
                channels.remove(c.local);
                events.add(new SessionEvent.Closed(c.local));
            }
            case MessageNumbers.CHANNEL_REQUEST -> {
                Channel c = channel(r.int32());
                r.text();
                if (r.bool()) {
                    transport.send(new SshWriter(8).byte8(MessageNumbers.CHANNEL_FAILURE).uint32(c.remote).toByteArray());
                }
            }
            case MessageNumbers.CHANNEL_SUCCESS, MessageNumbers.CHANNEL_FAILURE -> channel(r.int32());
            case MessageNumbers.REQUEST_SUCCESS, MessageNumbers.REQUEST_FAILURE -> { }
            default -> transport.send(new SshWriter(8).byte8(MessageNumbers.UNIMPLEMENTED).uint32(0).toByteArray());
        }
    }

    private Channel channel(int local) throws SshDisconnect {
        Channel c = channels.get(local);
        if (c == null) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "message for unknown channel " + Integer.toUnsignedString(local));
        }
        return c;
    }

    private void channelOpen(SshReader r) throws SshFormatException {
        String type = r.text();
        int remote = r.int32();
        long window = r.uint32();
        long maxPacket = r.uint32();
        if (type.equals("session")) {
            refuse(remote, ADMINISTRATIVELY_PROHIBITED, policy.sessionBanner(), type, "-", "session channels are not offered");
            return;
        }
        if (!type.equals("direct-tcpip")) {
            refuse(remote, UNKNOWN_CHANNEL_TYPE, "unknown channel type", type, "-", "unknown channel type");
            return;
        }
        // RFC 4254 §7.2: host to connect, port to connect, originator IP address, originator port.
        String host = r.text();
        long port = r.uint32();
        String originHost = r.text();
        long originPort = r.uint32();
        String destination = host + ":" + port;
        if (port < 1 || port > 65535) {
            refuse(remote, CONNECT_FAILED, "bad port", type, destination, "bad port");
            return;
        }
        String why = grant.refusal(host, (int) port);
        if (why != null) {
            // The client prints the reason code's name before this description.
            refuse(remote, ADMINISTRATIVELY_PROHIBITED, why, type, destination, why);
            return;
        }
        if (channels.size() >= policy.maxChannels()) {
            refuse(remote, RESOURCE_SHORTAGE, "too many channels", type, destination, "too many channels");
            return;
        }
        int local = nextChannel++;
        Channel c = new Channel(local, remote, window, (int) Math.min(maxPacket, LOCAL_MAX_PACKET));
        channels.put(local, c);
        events.add(new SessionEvent.OpenDirectTcpip(local, host, (int) port, originHost, (int) originPort));
    }

    private void refuse(int remote, int code, String description, String type, String destination, String reason) {
        transport.send(new SshWriter(64 + description.length()).byte8(MessageNumbers.CHANNEL_OPEN_FAILURE).uint32(remote)
                .uint32(code).string(description).string("").toByteArray());
        events.add(new SessionEvent.ChannelRefused(type, destination, reason));
    }

    /** The destination is connected: RFC 4254 §5.1 SSH_MSG_CHANNEL_OPEN_CONFIRMATION. */
    public void confirm(int local) {
        Channel c = channels.get(local);
        if (c == null) {
            return;
        }
        c.confirmed = true;
        transport.send(new SshWriter(20).byte8(MessageNumbers.CHANNEL_OPEN_CONFIRMATION).uint32(c.remote).uint32(c.local)
                .uint32(LOCAL_WINDOW).uint32(LOCAL_MAX_PACKET).toByteArray());
    }

    /** The destination could not be reached: SSH_MSG_CHANNEL_OPEN_FAILURE. */
    public void fail(int local, int code, String description) {
        Channel c = channels.remove(local);
        if (c == null) {
            return;
        }
        transport.send(new SshWriter(64).byte8(MessageNumbers.CHANNEL_OPEN_FAILURE).uint32(c.remote).uint32(code)
                .string(description).string("").toByteArray());
    }

    /**
     * Sends up to {@code len} octets from the destination as channel data, as far as the client's
     * window allows (RFC 4254 §5.2).
     *
     * @return octets taken; 0 when the window is closed (wait for {@link SessionEvent.WindowOpened}),
     *     -1 when the channel is gone
     */
    public int send(int local, byte[] data, int off, int len) {
        Channel c = channels.get(local);
        if (c == null || c.closeSent || c.eofSent || transport.closed()) {
            return -1;
        }
        int taken = 0;
        while (taken < len && c.remoteWindow > 0) {
            int n = (int) Math.min(Math.min(len - taken, c.remoteWindow), c.remoteMaxPacket);
            if (n <= 0) {
                break;
            }
            dataWriter.reset();
            dataWriter.byte8(MessageNumbers.CHANNEL_DATA).uint32(c.remote).string(data, off + taken, n);
            transport.send(dataWriter.array(), 0, dataWriter.length());
            c.remoteWindow -= n;
            c.bytesToClient += n;
            taken += n;
        }
        return taken;
    }

    /**
     * The caller has delivered {@code n} octets of the client's data: open the window again once
     * half of it is used (RFC 4254 §5.2 SSH_MSG_CHANNEL_WINDOW_ADJUST).
     */
    public void consumed(int local, int n) {
        Channel c = channels.get(local);
        if (c == null || c.closeSent) {
            return;
        }
        c.consumedSinceAdjust += n;
        if (c.consumedSinceAdjust >= LOCAL_WINDOW / 2) {
            transport.send(new SshWriter(12).byte8(MessageNumbers.CHANNEL_WINDOW_ADJUST).uint32(c.remote)
                    .uint32(c.consumedSinceAdjust).toByteArray());
            c.localWindow += c.consumedSinceAdjust;
            c.consumedSinceAdjust = 0;
        }
    }

    /** The destination sent FIN: SSH_MSG_CHANNEL_EOF. */
    public void eof(int local) {
        Channel c = channels.get(local);
        if (c == null || c.eofSent || c.closeSent) {
            return;
        }
        c.eofSent = true;
        transport.send(new SshWriter(8).byte8(MessageNumbers.CHANNEL_EOF).uint32(c.remote).toByteArray());
    }

    /** The destination is gone: SSH_MSG_CHANNEL_CLOSE (the channel is forgotten when the client answers). */
    public void close(int local) {
        Channel c = channels.get(local);
        if (c == null || c.closeSent) {
            return;
        }
        c.closeSent = true;
        transport.send(new SshWriter(8).byte8(MessageNumbers.CHANNEL_CLOSE).uint32(c.remote).toByteArray());
    }

    /** Octets from the client and to the client on a channel, for the audit line; null if gone. */
    public long[] counters(int local) {
        Channel c = channels.get(local);
        return c == null ? null : new long[] {c.bytesFromClient, c.bytesToClient};
    }

    public int openChannels() {
        return channels.size();
    }

    public String user() {
        return user;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The accepted user certificate's key ID, serial and CA, or null (plain key, or not yet authenticated). */
    public String certificate() {
        return grant == null ? null : grant.certificate();
    }

    public boolean authenticated() {
        return grant != null;
    }
}
