package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.DisconnectReason;
import atoll.ssh.wire.MessageNumbers;
import atoll.ssh.wire.SshFormatException;
import atoll.ssh.wire.SshReader;
import atoll.ssh.wire.SshWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server side of the SSH transport layer (RFC 4253), sans-I/O: bytes from the client go in
 * through {@link #receive}, protected bytes for the client accumulate in {@link #output()}; time is
 * passed in, never read. Runs version exchange, algorithm negotiation, key exchange, re-keying and
 * strict key exchange, and hands every service message to the {@link UpperLayer}.
 */
public final class ServerTransport {
    /** OpenSSH PROTOCOL, "kex-strict-*-v00@openssh.com" (the Terrapin countermeasure). */
    static final String STRICT_CLIENT = "kex-strict-c-v00@openssh.com";
    static final String STRICT_SERVER = "kex-strict-s-v00@openssh.com";
    /** RFC 8308 §2.1: a client that wants SSH_MSG_EXT_INFO names this in its kex list. */
    static final String EXT_INFO_CLIENT = "ext-info-c";
    /** RFC 8308 §3.1 extension name and the signature algorithms this server verifies. */
    public static final List<String> SERVER_SIG_ALGS = List.of("ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256");

    private enum KexState { NONE, AWAIT_KEX_INIT, AWAIT_NEWKEYS }

    private final TransportPolicy policy;
    /** Host key algorithms offered, in order, each with the key that signs for it. */
    private final java.util.LinkedHashMap<String, ServerHostKey> hostKeys = new java.util.LinkedHashMap<>();
    private String hostKeyAlgorithm;
    private final Entropy entropy;
    private final InboundFramer in = new InboundFramer();
    private final OutboundPackets out;
    private final byte[] serverVersion;
    private UpperLayer upper;

    private byte[] clientVersion;
    private byte[] sessionId;
    private boolean strict;
    private boolean extInfo;
    private int completedKex;
    private KexState kexState = KexState.NONE;
    private byte[] ourKexInit;
    private byte[] theirKexInit;
    private boolean outboundBlocked;
    private boolean ignoreGuessedPacket;
    private KeyExchange chosenKex;
    private String cipherIn;
    private String cipherOut;
    private String macIn;
    private String macOut;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private long bytesAtKex;
    private long nanosAtKex;
    private boolean closed;
    private DisconnectReason closeReason;
    private String closeDescription;
    private final List<String> negotiated = new ArrayList<>();

    public ServerTransport(TransportPolicy policy, HostKey hostKey, Entropy entropy, long now) {
        this(policy, List.of(hostKey), entropy, now);
    }

    /** @param keys the host keys, each offering its {@link ServerHostKey#algorithms()} in this order */
    public ServerTransport(TransportPolicy policy, List<ServerHostKey> keys, Entropy entropy, long now) {
        this.policy = policy;
        for (ServerHostKey k : keys) {
            for (String a : k.algorithms()) {
                hostKeys.putIfAbsent(a, k);
            }
        }
        this.entropy = entropy;
        this.out = new OutboundPackets(entropy);
        this.nanosAtKex = now;
        // RFC 4253 §4.2: SSH-protoversion-softwareversion SP comments CR LF.
        this.serverVersion = ("SSH-2.0-" + policy.softwareVersion()).getBytes(StandardCharsets.US_ASCII);
        out.raw(serverVersion);
        out.raw(new byte[] {'\r', '\n'});
        // RFC 4253 §7.1: key exchange begins by each side sending SSH_MSG_KEXINIT; we need not wait.
        sendKexInit();
    }

    public void upperLayer(UpperLayer upper) {
        this.upper = upper;
    }

    /** Feeds what arrived from the client; processes every complete unit in it. */
    public void receive(byte[] data, int off, int len, long now) {
        if (closed) {
            return;
        }
        in.feed(data, off, len);
        this.now = now;
        try {
            if (clientVersion == null && !readVersion()) {
                return;
            }
            byte[] payload;
            while (!closed && (payload = in.nextPayload()) != null) {
                dispatch(payload);
            }
            tick(now);
        } catch (SshDisconnect e) {
            disconnect(e.reason, e.getMessage());
        }
    }

    /** Starts a re-key when the volume or time limit is reached (RFC 4253 §9). */
    public void tick(long now) {
        if (closed || kexState != KexState.NONE || outboundBlocked || completedKex == 0) {
            return;
        }
        long volume = in.bytesIn() + out.bytesOut() - bytesAtKex;
        if (volume >= policy.rekeyBytes() || now - nanosAtKex >= policy.rekeyNanos()) {
            nanosAtKex = now;
            sendKexInit();
        }
    }

    private boolean readVersion() throws SshDisconnect {
        String line = in.nextLine();
        if (line == null) {
            return false;
        }
        // RFC 4253 §5.1: a server accepting "1.99" or "2.0" speaks version 2.
        if (!line.startsWith("SSH-2.0-") && !line.startsWith("SSH-1.99-")) {
            closed = true;
            closeReason = DisconnectReason.PROTOCOL_VERSION_NOT_SUPPORTED;
            closeDescription = "not an SSH-2 identification: " + printable(line);
            out.raw("Protocol mismatch.\r\n".getBytes(StandardCharsets.US_ASCII));
            return false;
        }
        clientVersion = line.getBytes(StandardCharsets.ISO_8859_1);
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
            if (b.length() > 64) {
                break;
            }
        }
        return b.toString();
    }

    private void dispatch(byte[] payload) throws SshDisconnect {
        int type = payload[0] & 0xff;
        boolean initialKex = completedKex == 0;
        if (ignoreGuessedPacket) {
            // RFC 4253 §7: a wrongly guessed first kex packet MUST be ignored.
            ignoreGuessedPacket = false;
            if (type >= 30 && type <= 49) {
                return;
            }
        }
        if (initialKex && in.packetsIn() == 1 && type != MessageNumbers.KEXINIT) {
            // OpenSSH PROTOCOL (strict kex): KEXINIT must be the first packet; we demand it always.
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "first packet is message " + type + ", not KEXINIT");
        }
        try {
            switch (type) {
                case MessageNumbers.DISCONNECT -> {
                    SshReader r = new SshReader(payload, 1, payload.length - 1);
                    r.uint32();
                    closed = true;
                    closeReason = DisconnectReason.BY_APPLICATION;
                    closeDescription = "client disconnected: " + printable(r.text());
                }
                case MessageNumbers.IGNORE, MessageNumbers.DEBUG, MessageNumbers.UNIMPLEMENTED -> {
                    if (strict && initialKex) {
                        // OpenSSH PROTOCOL: with strict kex, any message other than those of the
                        // key exchange during the initial kex ends the connection.
                        throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR,
                                "message " + type + " during the initial key exchange (strict kex)");
                    }
                }
                case MessageNumbers.KEXINIT -> onKexInit(payload);
                case MessageNumbers.KEX_ECDH_INIT -> onKexEcdhInit(payload);
                case MessageNumbers.NEWKEYS -> onNewKeys();
                default -> {
                    if (kexState != KexState.NONE || initialKex) {
                        // RFC 4253 §7.1: after KEXINIT only key exchange messages until NEWKEYS.
                        throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR,
                                "message " + type + " during key exchange");
                    }
                    if (MessageNumbers.isTransport(type) && type != MessageNumbers.SERVICE_REQUEST
                            && type != MessageNumbers.EXT_INFO) {
                        unimplemented();
                    } else if (upper != null) {
                        upper.onMessage(payload);
                    }
                }
            }
        } catch (SshFormatException e) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "malformed message " + type + ": " + e.getMessage());
        }
    }

    private void unimplemented() {
        // RFC 4253 §11.4: answer an unrecognized message with its sequence number.
        sendNow(new SshWriter(8).byte8(MessageNumbers.UNIMPLEMENTED).uint32(in.sequence() - 1).toByteArray());
    }

    private void sendKexInit() {
        SshWriter w = new SshWriter(512).byte8(MessageNumbers.KEXINIT);
        byte[] cookie = new byte[16];
        entropy.nextBytes(cookie);
        w.raw(cookie);
        List<String> kex = new ArrayList<>();
        for (KeyExchange k : policy.keyExchanges()) {
            kex.add(k.sshName);
        }
        if (completedKex == 0) {
            kex.add(STRICT_SERVER);
        }
        w.nameList(kex).nameList(List.copyOf(hostKeys.keySet()))
                .nameList(policy.ciphers()).nameList(policy.ciphers())
                .nameList(policy.macs()).nameList(policy.macs())
                .nameList(List.of("none")).nameList(List.of("none"))
                .nameList(List.of()).nameList(List.of())
                .bool(false).uint32(0);
        ourKexInit = w.toByteArray();
        outboundBlocked = true;
        out.packet(ourKexInit, 0, ourKexInit.length);
    }

    private void onKexInit(byte[] payload) throws SshDisconnect, SshFormatException {
        if (theirKexInit != null) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "second KEXINIT during key exchange");
        }
        theirKexInit = payload;
        if (!outboundBlocked) {
            // RFC 4253 §9: either side may start a re-key; we answer with our own KEXINIT.
            sendKexInit();
        }
        SshReader r = new SshReader(payload, 17, payload.length - 17);
        List<String> kex = r.nameList();
        List<String> clientHostKeys = r.nameList();
        List<String> encC2s = r.nameList();
        List<String> encS2c = r.nameList();
        List<String> macC2s = r.nameList();
        List<String> macS2c = r.nameList();
        List<String> compC2s = r.nameList();
        List<String> compS2c = r.nameList();
        r.nameList();
        r.nameList();
        boolean guessFollows = r.bool();
        r.uint32();
        if (completedKex == 0) {
            strict = kex.contains(STRICT_CLIENT);
            extInfo = kex.contains(EXT_INFO_CLIENT);
        }
        // RFC 4253 §7.1: the first algorithm on the client's list that the server also supports.
        chosenKex = null;
        for (String name : kex) {
            KeyExchange k = KeyExchange.byName(name);
            if (k != null && policy.keyExchanges().contains(k)) {
                chosenKex = k;
                break;
            }
        }
        if (chosenKex == null) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "no matching key exchange method (offered "
                    + names(policy.keyExchanges().stream().map(k -> k.sshName).toList()) + ")");
        }
        hostKeyAlgorithm = first(clientHostKeys, List.copyOf(hostKeys.keySet()), "host key type");
        cipherIn = first(encC2s, policy.ciphers(), "client to server cipher");
        cipherOut = first(encS2c, policy.ciphers(), "server to client cipher");
        // RFC 4253 §7.1: the MAC is chosen like the cipher, per direction; an AEAD cipher has its
        // own tag and needs none (OpenSSH PROTOCOL, as for chacha20-poly1305 and AES-GCM).
        macIn = TransportPolicy.AEAD_CIPHERS.contains(cipherIn) ? null : first(macC2s, policy.macs(), "client to server MAC");
        macOut = TransportPolicy.AEAD_CIPHERS.contains(cipherOut) ? null : first(macS2c, policy.macs(), "server to client MAC");
        if (!compC2s.contains("none") || !compS2c.contains("none")) {
            throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "no matching compression (offered none)");
        }
        if (guessFollows && (!kex.get(0).equals(chosenKex.sshName) || !clientHostKeys.get(0).equals(hostKeyAlgorithm))) {
            ignoreGuessedPacket = true;
        }
        kexState = KexState.AWAIT_KEX_INIT;
    }

    private static String first(List<String> client, List<String> server, String what) throws SshDisconnect {
        for (String c : client) {
            if (server.contains(c)) {
                return c;
            }
        }
        throw new SshDisconnect(DisconnectReason.KEY_EXCHANGE_FAILED, "no matching " + what + " (offered " + names(server) + ")");
    }

    private static String names(List<String> names) {
        return String.join(",", names);
    }

    private void onKexEcdhInit(byte[] payload) throws SshDisconnect, SshFormatException {
        if (kexState != KexState.AWAIT_KEX_INIT) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "KEX_ECDH_INIT out of order");
        }
        SshReader r = new SshReader(payload, 1, payload.length - 1);
        byte[] clientPublic = r.string();
        r.end();
        KeyExchange.Reply reply = chosenKex.reply(clientPublic, entropy);
        ServerHostKey hostKey = hostKeys.get(hostKeyAlgorithm);
        byte[] hostBlob = hostKey.publicBlob();
        // RFC 5656 §4 / RFC 8731 §3: H = HASH(V_C || V_S || I_C || I_S || K_S || Q_C || Q_S || K).
        MessageDigest d = chosenKex.digest();
        SshWriter h = new SshWriter(4096).string(clientVersion).string(serverVersion).string(theirKexInit)
                .string(ourKexInit).string(hostBlob).string(clientPublic).string(reply.serverPublic())
                .raw(reply.encodedSecret());
        d.update(h.array(), 0, h.length());
        byte[] exchangeHash = d.digest();
        if (sessionId == null) {
            // RFC 4253 §7.2: the exchange hash of the first key exchange is the session identifier.
            sessionId = exchangeHash;
        }
        byte[] replyMessage = new SshWriter(2048).byte8(MessageNumbers.KEX_ECDH_REPLY).string(hostBlob)
                .string(reply.serverPublic()).string(hostKey.sign(hostKeyAlgorithm, exchangeHash)).toByteArray();
        out.packet(replyMessage, 0, replyMessage.length);
        out.packet(new byte[] {MessageNumbers.NEWKEYS}, 0, 1);
        byte[] k = reply.encodedSecret();
        PacketCipher outbound = cipher(cipherOut, macOut, k, exchangeHash, 'B', 'D', 'F', true);
        pendingInbound = cipher(cipherIn, macIn, k, exchangeHash, 'A', 'C', 'E', false);
        // OpenSSH PROTOCOL (strict kex): the sequence number is reset to 0 after each NEWKEYS.
        out.rekey(outbound, strict);
        negotiated.add(chosenKex.sshName + " " + hostKeyAlgorithm + " " + pendingInbound.name() + "/" + outbound.name());
        Arrays.fill(k, (byte) 0);
        if (completedKex == 0 && extInfo) {
            // RFC 8308 §2.4: the server may send EXT_INFO right after its first NEWKEYS.
            byte[] ext = new SshWriter(256).byte8(MessageNumbers.EXT_INFO).uint32(1).string("server-sig-algs")
                    .string(String.join(",", SERVER_SIG_ALGS)).toByteArray();
            out.packet(ext, 0, ext.length);
        }
        outboundBlocked = false;
        while (!queued.isEmpty()) {
            byte[] p = queued.poll();
            out.packet(p, 0, p.length);
        }
        kexState = KexState.AWAIT_NEWKEYS;
    }

    private PacketCipher pendingInbound;
    /** The time of the latest input, for the re-key clock. */
    private long now;

    private void onNewKeys() throws SshDisconnect {
        if (kexState != KexState.AWAIT_NEWKEYS) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "NEWKEYS out of order");
        }
        in.rekey(pendingInbound, strict);
        pendingInbound = null;
        kexState = KexState.NONE;
        theirKexInit = null;
        ourKexInit = null;
        completedKex++;
        bytesAtKex = in.bytesIn() + out.bytesOut();
        nanosAtKex = now;
    }

    /** RFC 4253 §7.2: key X is HASH(K || H || X || session_id), extended by HASH(K || H || K1 ...). */
    private PacketCipher cipher(String name, String macName, byte[] k, byte[] h, char ivLetter, char keyLetter,
            char macLetter, boolean encrypt) {
        return switch (name) {
            // RFC 4344 §4: the initial counter is the IV, a full 16-octet block.
            case "aes128-ctr", "aes256-ctr" -> new AesCtrEtmCipher(name, macName,
                    derive(k, h, keyLetter, AesCtrEtmCipher.keyLength(name)), derive(k, h, ivLetter, 16),
                    derive(k, h, macLetter, AesCtrEtmCipher.macKeyLength(macName)), encrypt);
            case ChaChaPolyCipher.NAME -> new ChaChaPolyCipher(derive(k, h, keyLetter, 64));
            case "aes128-gcm@openssh.com" -> new AesGcmCipher(name, derive(k, h, keyLetter, 16), derive(k, h, ivLetter, 12), encrypt);
            case "aes256-gcm@openssh.com" -> new AesGcmCipher(name, derive(k, h, keyLetter, 32), derive(k, h, ivLetter, 12), encrypt);
            default -> throw new IllegalStateException("negotiated an unknown cipher " + name);
        };
    }

    private byte[] derive(byte[] k, byte[] h, char letter, int length) {
        MessageDigest d = chosenKex.digest();
        d.update(k);
        d.update(h);
        d.update((byte) letter);
        d.update(sessionId);
        byte[] key = d.digest();
        while (key.length < length) {
            d.update(k);
            d.update(h);
            d.update(key);
            byte[] more = d.digest();
            byte[] longer = Arrays.copyOf(key, key.length + more.length);
            System.arraycopy(more, 0, longer, key.length, more.length);
            key = longer;
        }
        return Arrays.copyOf(key, length);
    }

    /**
     * Sends a service-layer message now, or after the key exchange in progress (RFC 4253 §7.1:
     * only key exchange messages between our KEXINIT and our NEWKEYS).
     */
    public void send(byte[] payload) {
        send(payload, 0, payload.length);
    }

    /** As {@link #send(byte[])} for {@code len} octets at {@code off}; copied before it returns. */
    public void send(byte[] payload, int off, int len) {
        if (closed) {
            return;
        }
        if (outboundBlocked) {
            queued.add(java.util.Arrays.copyOfRange(payload, off, off + len));
        } else {
            out.packet(payload, off, len);
        }
    }

    private void sendNow(byte[] payload) {
        out.packet(payload, 0, payload.length);
    }

    /** Sends SSH_MSG_DISCONNECT (RFC 4253 §11.1) and stops processing input. */
    public void disconnect(DisconnectReason reason, String description) {
        if (closed) {
            return;
        }
        byte[] msg = new SshWriter(64 + description.length()).byte8(MessageNumbers.DISCONNECT).uint32(reason.code)
                .string(description).string("").toByteArray();
        out.packet(msg, 0, msg.length);
        closed = true;
        closeReason = reason;
        closeDescription = description;
    }

    /** Protected octets waiting to go to the client. */
    public OutboundPackets output() {
        return out;
    }

    public boolean closed() {
        return closed;
    }

    public DisconnectReason closeReason() {
        return closeReason;
    }

    public String closeDescription() {
        return closeDescription;
    }

    public byte[] sessionId() {
        return sessionId;
    }

    public boolean strict() {
        return strict;
    }

    public int completedKeyExchanges() {
        return completedKex;
    }

    /** One "kex cipher-in/cipher-out" entry per completed or running key exchange. */
    public List<String> negotiated() {
        return List.copyOf(negotiated);
    }

    public String clientVersion() {
        return clientVersion == null ? null : new String(clientVersion, StandardCharsets.ISO_8859_1);
    }

    public long bytesIn() {
        return in.bytesIn();
    }

    /** Complete units received: packets, and the identification line. */
    public long unitsIn() {
        return in.packetsIn() + (clientVersion == null ? 0 : 1);
    }

    /** Octets received that do not yet make a whole unit. */
    public int pendingInput() {
        return in.buffered();
    }

    public long bytesOut() {
        return out.bytesOut();
    }
}
