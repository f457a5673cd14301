package atoll.openvpn;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.Addresses;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.libos.runtime.Appliance;
import atoll.libos.runtime.Devices;
import atoll.libos.runtime.StartupException;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import atoll.openvpn.crypto.ControlProtection;
import atoll.openvpn.crypto.SessionCookie;
import atoll.openvpn.crypto.StaticKey;
import atoll.openvpn.crypto.TlsAuth;
import atoll.openvpn.crypto.TlsCrypt;
import atoll.openvpn.server.Action;
import atoll.openvpn.server.AddressPool;
import atoll.openvpn.server.ControlServer;
import atoll.openvpn.server.Drop;
import atoll.openvpn.server.Peer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * The OpenVPN-compatible gateway appliance. So far: OpenVPN's control channel over UDP, with
 * tls-crypt, the stateless cookie handshake and the reliability layer, up to the client's TLS
 * ClientHello (see CONFORMANCE.md for what is not done). The engine ({@link ControlServer}) is
 * sans-I/O; this class feeds it datagrams on the event loop and polls it from a timer.
 */
public final class OpenVpnGateway implements Appliance {
    private static final System.Logger LOG = System.getLogger("openvpn-gw");
    /** The state-store key of the tls-crypt key generated on first start. */
    static final String GENERATED_KEY = "tls-crypt.key";
    /** The state-store key of the address pool's leases. */
    static final String POOL_KEY = "ifconfig-pool";
    /** The state-store key of the tls-auth key generated on first start. */
    static final String GENERATED_AUTH_KEY = "tls-auth.key";
    /** How often the driver polls the engine for retransmissions (retransmission timers are seconds). */
    private static final Duration TICK = Duration.ofMillis(200);

    static final ConfigKey<InetAddress> LISTEN = ConfigKey.of("listen", ValueTypes.inetAddress(),
            InetAddress.getLoopbackAddress(), "address to take OpenVPN clients on, over UDP (0.0.0.0: every IPv4 address)");
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.portOrZero(), 1194,
            "UDP and TCP port (1194 is OpenVPN's registered port; 0 picks a free one for each, logged)");
    static final ConfigKey<List<String>> PROTO = ConfigKey.of("proto", ValueTypes.listOf(ValueTypes.enumOf("udp", "tcp")),
            List.of("udp", "tcp"), "transports to take clients on: udp, tcp or both (clients: --proto udp / tcp-client)");
    static final ConfigKey<String> TLS_CRYPT_KEY = ConfigKey.of("tls-crypt.key", ValueTypes.string(), "",
            "OpenVPN static key file for tls-crypt (openvpn --genkey tls-crypt); empty: one generated on first start"
                    + " and kept in the state store as " + GENERATED_KEY);
    static final ConfigKey<String> PROTECTION = ConfigKey.of("control.protection", ValueTypes.enumOf("tls-crypt", "tls-auth"),
            "tls-crypt", "control-channel protection: tls-crypt (clients: --tls-crypt) or tls-auth (clients: --tls-auth KEY 1,"
                    + " or key-direction 1)");
    static final ConfigKey<String> TLS_AUTH_KEY = ConfigKey.of("tls-auth.key", ValueTypes.string(), "",
            "OpenVPN static key file for tls-auth (openvpn --genkey secret); the server uses key direction 0; empty: one"
                    + " generated on first start and kept in the state store as " + GENERATED_AUTH_KEY);
    static final ConfigKey<String> TLS_AUTH_DIGEST = ConfigKey.of("tls-auth.digest", ValueTypes.enumOf("SHA1", "SHA256", "SHA512"),
            "SHA1", "tls-auth HMAC digest, as the clients' --auth (OpenVPN's default is SHA1)");
    static final ConfigKey<String> TLS_CERTIFICATE = ConfigKey.of("tls.certificate", ValueTypes.string(), "",
            "the server's certificate chain (PEM); empty: server.pem in the state store, as 'openvpn-gw profile' makes it;"
                    + " with neither, TLS is not served and sessions stop at the ClientHello");
    static final ConfigKey<String> TLS_KEY = ConfigKey.of("tls.key", ValueTypes.string(), "",
            "the server's private key (PEM, PKCS#8 or SEC1); empty: server.key in the state store");
    static final ConfigKey<String> TLS_CA = ConfigKey.of("tls.ca", ValueTypes.string(), "",
            "CA certificates (PEM) that client certificates must validate against; empty: ca.pem in the state store"
                    + " (the profile command makes it); with neither, no client certificate is asked for");
    static final ConfigKey<String> SERVER = ConfigKey.of("server", ValueTypes.string(), "10.8.0.0/24",
            "the tunnel subnet (topology subnet): the gateway takes its first host address, clients the next ones,"
                    + " kept across restarts in the state store as " + POOL_KEY);
    static final ConfigKey<List<String>> DATA_CIPHERS = ConfigKey.of("data-ciphers",
            ValueTypes.nonEmptyListOf(ValueTypes.enumOf("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305")),
            List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"),
            "data-channel ciphers offered, most preferred first; a client gets the first one its IV_CIPHERS lists"
                    + " (OpenVPN --data-ciphers)");
    static final ConfigKey<List<String>> GATEWAY_ALLOW = ConfigKey.of("gateway.allow", ValueTypes.listOf(ValueTypes.string()),
            List.of(), "destinations clients may reach through the gateway (TCP, relayed through the host's network):"
                    + " PREFIX[:PORT[-PORT]] rules such as 198.51.100.0/24:80 or 0.0.0.0/0:443; empty: none; anything"
                    + " else is reset or refused by ICMP and counted");
    static final ConfigKey<List<String>> PUSH_ROUTES = ConfigKey.of("push.routes", ValueTypes.listOf(ValueTypes.string()),
            List.of(), "IPv4 prefixes pushed to clients as routes through the tunnel (OpenVPN push \"route NETWORK MASK\"),"
                    + " such as 198.51.100.0/24");
    static final ConfigKey<Integer> GATEWAY_BUFFERS = ConfigKey.of("gateway.buffers", ValueTypes.integer(64, 65536), 2048,
            "pooled 2 KiB buffers of the tunnel's TCP/IP stack (segments held for tunnelled connections)");
    static final ConfigKey<Integer> MAX_CLIENTS = ConfigKey.of("max-clients", ValueTypes.integer(1, 65536), 1024,
            "sessions held at most; a new client past it is dropped (OpenVPN --max-clients)");

    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private volatile atoll.openvpn.gateway.TunnelGateway tunnel;
    /**
     * Which transport's engine pushed each tunnel address last (a client that reconnects over the
     * other transport takes its address along; the old session lingers until its ping-restart).
     * Under the lock.
     */
    private final java.util.HashMap<Integer, ControlServer> pushedBy = new java.util.HashMap<>();
    private volatile UdpEndpoint endpoint;
    private volatile TcpListener listener;
    private volatile ControlServer engine;
    private volatile ControlServer tcpEngine;
    private volatile TcpService tcp;
    private volatile Timer timer;
    private volatile boolean stopping;
    private Clock clock;
    private BufferPool pool;
    private final EnumMap<Drop, Long> dropsSeen = new EnumMap<>(Drop.class);
    private Metrics metrics;

    @Override
    public String name() {
        return "openvpn-gw";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LISTEN, PORT, PROTO, PROTECTION, TLS_CRYPT_KEY, TLS_AUTH_KEY, TLS_AUTH_DIGEST, TLS_CERTIFICATE, TLS_KEY,
                TLS_CA, SERVER, MAX_CLIENTS, DATA_CIPHERS, GATEWAY_ALLOW, PUSH_ROUTES, GATEWAY_BUFFERS);
    }

    @Override
    public void start(Devices devices) throws Exception {
        Config config = devices.config();
        ControlProtection protection = switch (config.get(PROTECTION)) {
            case "tls-auth" -> new TlsAuth(loadKey(TLS_AUTH_KEY, config.get(TLS_AUTH_KEY), GENERATED_AUTH_KEY, devices),
                    TlsAuth.Direction.NORMAL, TlsAuth.Digest.parse(config.get(TLS_AUTH_DIGEST)));
            default -> new TlsCrypt(loadKey(TLS_CRYPT_KEY, config.get(TLS_CRYPT_KEY), GENERATED_KEY, devices),
                    TlsCrypt.Role.SERVER);
        };
        byte[] secret = new byte[32];
        devices.entropy().nextBytes(secret);
        clock = devices.clock();
        metrics = devices.metrics();
        pool = devices.network().bufferPool();
        SessionCookie cookie = new SessionCookie(secret, Duration.ofNanos(ControlServer.HAND_WINDOW_NANOS / 2));
        ControlServer.TlsEngines tls = tlsServer(config, devices);
        java.util.function.Consumer<byte[]> random = devices.entropy()::nextBytes;
        // One engine per transport: a UDP and a TCP client may share an address and port.
        engine = new ControlServer(protection, cookie, config.get(MAX_CLIENTS), tls, random);
        tcpEngine = new ControlServer(protection, cookie, config.get(MAX_CLIENTS), tls, random);
        AddressPool pool;
        try {
            pool = AddressPool.of(config.get(SERVER), devices.state().exists(POOL_KEY) ? devices.state().read(POOL_KEY) : new byte[0]);
        } catch (IllegalArgumentException e) {
            throw new StartupException("bad value '" + config.get(SERVER) + "' for configuration key 'server': " + e.getMessage()
                    + " (accepted: an IPv4 subnet such as 10.8.0.0/24, /8 to /29)", e);
        }
        var state = devices.state();
        String routes = routes(config.get(PUSH_ROUTES));
        java.util.function.BiFunction<Peer, String, atoll.openvpn.server.Push> push =
                (peer, cn) -> pushOptions(pool, state, peer, cn, routes);
        engine.pushOptions(push);
        tcpEngine.pushOptions(push);
        List<atoll.openvpn.data.DataCipher> ciphers = config.get(DATA_CIPHERS).stream()
                .map(atoll.openvpn.data.DataCipher::ofOpenVpnName).toList();
        engine.dataCiphers(ciphers);
        tcpEngine.dataCiphers(ciphers);
        atoll.openvpn.gateway.DestinationPolicy policy;
        try {
            policy = atoll.openvpn.gateway.DestinationPolicy.parse(config.get(GATEWAY_ALLOW));
        } catch (IllegalArgumentException e) {
            throw new StartupException("bad value for configuration key 'gateway.allow': " + e.getMessage()
                    + " (accepted: PREFIX[:PORT[-PORT]] rules such as 198.51.100.0/24:80)", e);
        }
        int netmask = java.nio.ByteBuffer.wrap(pool.netmask().getAddress()).getInt();
        tunnel = new atoll.openvpn.gateway.TunnelGateway(lock, clock, devices.entropy(), metrics, devices.network(),
                new BufferPool(2048, 128, config.get(GATEWAY_BUFFERS)),
                atoll.stack.wire.Ipv4Address.of(pool.serverAddress()), Integer.bitCount(netmask), TUN_MTU, policy,
                this::toClient);
        LOG.log(Level.INFO, "gateway " + pool.serverAddress().getHostAddress() + ": clients may reach " + policy);
        metrics.gauge("openvpn.sessions", () -> engine.sessionCount() + tcpEngine.sessionCount());
        metrics.gauge("openvpn.resets.stateless", () -> engine.statelessResets() + tcpEngine.statelessResets());
        InetSocketAddress at = new InetSocketAddress(config.get(LISTEN), config.get(PORT));
        try {
            if (config.get(PROTO).contains("udp")) {
                endpoint = devices.network().bindUdp(at, this::onDatagram);
                LOG.log(Level.INFO, "taking OpenVPN clients on udp " + Addresses.format(endpoint.localAddress()));
            }
            if (config.get(PROTO).contains("tcp")) {
                tcp = new TcpService(this::onTcpPacket, this::onTcpClosed, Duration.ofNanos(ControlServer.HAND_WINDOW_NANOS));
                listener = devices.network().listenTcp(at, tcp::serve);
                LOG.log(Level.INFO, "taking OpenVPN clients on tcp " + Addresses.format(listener.localAddress()));
            }
        } catch (IOException e) {
            stop(Duration.ZERO);
            throw new StartupException("cannot listen on " + Addresses.format(at)
                    + " (configuration keys 'listen' and 'port'): " + e.getMessage(), e);
        }
        timer = clock.schedule(TICK, this::tick);
    }

    /**
     * The options pushed to {@code peer}: its pool address (by its certificate's common name, or by
     * its transport address when client certificates are not verified), the subnet, keepalive and
     * the data cipher.
     */
    /** OpenVPN's default tun-mtu: the largest IPv4 packet in the tunnel. */
    static final int TUN_MTU = 1500;

    /** "route NETWORK MASK" options for {@code push.routes}. */
    private static String routes(List<String> prefixes) throws StartupException {
        StringBuilder out = new StringBuilder();
        try {
            for (var r : atoll.openvpn.gateway.DestinationPolicy.parse(prefixes).rules()) {
                if (r.firstPort() != 0 || r.lastPort() != 65535) {
                    throw new IllegalArgumentException("'" + r + "': a route has no port");
                }
                int mask = r.length() == 0 ? 0 : -1 << (32 - r.length());
                out.append(",route ").append(atoll.stack.wire.Ipv4Address.toString(r.prefix())).append(' ')
                        .append(atoll.stack.wire.Ipv4Address.toString(mask));
            }
        } catch (IllegalArgumentException e) {
            throw new StartupException("bad value for configuration key 'push.routes': " + e.getMessage()
                    + " (accepted: IPv4 prefixes such as 198.51.100.0/24)", e);
        }
        return out.toString();
    }

    /**
     * Seals a datagram from the tunnel stack for the client holding {@code tunnelAddress} and sends
     * it over that client's transport. Under the lock.
     */
    private boolean toClient(int tunnelAddress, PooledBuffer datagram) {
        byte[] d = datagram.toByteArray();
        datagram.release();
        ControlServer first = pushedBy.getOrDefault(tunnelAddress, engine);
        for (ControlServer e : first == engine ? List.of(engine, tcpEngine) : List.of(tcpEngine, engine)) {
            Action.Send s = e.sealTo(tunnelAddress, d, 0, d.length);
            if (s != null) {
                if (e == engine) {
                    send(s);
                } else {
                    tcp.send(s.peer(), s.datagram());
                }
                return true;
            }
        }
        return false;
    }

    private static atoll.openvpn.server.Push pushOptions(AddressPool pool, atoll.libos.store.ReadWriteStore state, Peer peer,
            String commonName, String routes) {
        String key = commonName != null ? commonName : "peer:" + peer;
        return switch (pool.lease(key)) {
            case AddressPool.Exhausted x -> null;
            case AddressPool.Leased l -> {
                if (l.fresh()) {
                    try {
                        state.write(POOL_KEY, pool.persisted());
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "cannot store the address pool: " + e.getMessage());
                    }
                }
                yield new atoll.openvpn.server.Push("route-gateway " + pool.serverAddress().getHostAddress()
                        + ",topology subnet,ping 10,ping-restart 60,"
                        + "ifconfig " + l.address().getHostAddress() + " " + pool.netmask().getHostAddress()
                        + routes + ",peer-id 0", java.nio.ByteBuffer.wrap(l.address().getAddress()).getInt());
            }
        };
    }

    /** libos/tls over the configured or stored certificate, or null when there is none. */
    private static ControlServer.TlsEngines tlsServer(Config config, Devices devices) throws StartupException, IOException {
        String certPath = config.get(TLS_CERTIFICATE);
        String keyPath = config.get(TLS_KEY);
        byte[] cert;
        byte[] key;
        String certSource;
        String keySource;
        if (!certPath.isEmpty() || !keyPath.isEmpty()) {
            if (certPath.isEmpty() || keyPath.isEmpty()) {
                throw new StartupException("tls.certificate and tls.key go together (one of them is empty)");
            }
            try {
                cert = Files.readAllBytes(Path.of(certPath));
                key = Files.readAllBytes(Path.of(keyPath));
            } catch (IOException e) {
                throw new StartupException("tls.certificate/tls.key: " + e.getMessage(), e);
            }
            certSource = certPath;
            keySource = keyPath;
        } else if (devices.state().exists("server.pem") && devices.state().exists("server.key")) {
            cert = devices.state().read("server.pem");
            key = devices.state().read("server.key");
            certSource = devices.state().describe("server.pem");
            keySource = devices.state().describe("server.key");
        } else {
            LOG.log(Level.INFO, "no server certificate (run 'openvpn-gw profile NAME' to make one, or set tls.certificate"
                    + " and tls.key): sessions stop at the client's ClientHello");
            return null;
        }
        atoll.tls.ServerIdentity identity;
        try {
            identity = atoll.tls.Pem.identity(cert, certSource, key, keySource);
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException("tls.certificate/tls.key: " + e.getMessage(), e);
        }
        // No ALPN (OpenVPN offers none), no TLS 1.2 resumption (OpenVPN renegotiates with full handshakes).
        atoll.tls.TlsServer server = new atoll.tls.TlsServer(
                new atoll.tls.TlsSettings(List.of(identity), List.of(), 0, Duration.ofMinutes(1)),
                devices.entropy(), devices.clock());
        LOG.log(Level.INFO, "serving TLS on the control channel with " + certSource);
        String caPath = config.get(TLS_CA);
        byte[] ca = null;
        String caSource = null;
        if (!caPath.isEmpty()) {
            try {
                ca = Files.readAllBytes(Path.of(caPath));
            } catch (IOException e) {
                throw new StartupException("tls.ca=" + caPath + ": " + e.getMessage(), e);
            }
            caSource = caPath;
        } else if (devices.state().exists("ca.pem")) {
            ca = devices.state().read("ca.pem");
            caSource = devices.state().describe("ca.pem");
        }
        if (ca == null) {
            LOG.log(Level.WARNING, "no CA to verify clients against (tls.ca): any client with the control-channel key connects");
            return () -> server.newEngine(null, ControlServer.EKM_LABEL, ControlServer.EKM_LENGTH);
        }
        atoll.tls.ClientCertificates clients;
        try {
            clients = new atoll.tls.ClientCertificates(atoll.tls.Pem.certificates(ca, caSource), devices.clock()::now);
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException("tls.ca: " + e.getMessage(), e);
        }
        LOG.log(Level.INFO, "client certificates must validate against " + caSource);
        return () -> server.newEngine(clients, ControlServer.EKM_LABEL, ControlServer.EKM_LENGTH);
    }

    private static StaticKey loadKey(ConfigKey<String> configKey, String path, String generated, Devices devices)
            throws StartupException, IOException {
        if (!path.isEmpty()) {
            try {
                return StaticKey.parse(Files.readString(Path.of(path), StandardCharsets.US_ASCII));
            } catch (IOException | IllegalArgumentException e) {
                throw new StartupException(configKey.name() + "=" + path + ": " + e.getMessage()
                        + " (accepted: an OpenVPN static key file, as openvpn --genkey writes)", e);
            }
        }
        if (devices.state().exists(generated)) {
            return StaticKey.parse(new String(devices.state().read(generated), StandardCharsets.US_ASCII));
        }
        byte[] k = new byte[StaticKey.LENGTH];
        devices.entropy().nextBytes(k);
        StaticKey key = StaticKey.of(k);
        devices.state().write(generated, key.format().getBytes(StandardCharsets.US_ASCII));
        LOG.log(Level.INFO, "generated " + configKey.name() + ": " + devices.state().describe(generated));
        return key;
    }

    /** The UDP address bound (port 0 picks one). */
    public InetSocketAddress udpAddress() {
        return endpoint.localAddress();
    }

    /** The TCP address bound (port 0 picks one). */
    public InetSocketAddress tcpAddress() {
        return listener.localAddress();
    }

    private void onTcpPacket(Peer peer, byte[] packet) {
        lock.lock();
        try {
            if (!stopping) {
                perform(tcpEngine, tcpEngine.receive(peer, packet, 0, packet.length, clock.nanoTime(),
                        clock.now().getEpochSecond()));
            }
        } finally {
            lock.unlock();
        }
    }

    private void onTcpClosed(Peer peer) {
        lock.lock();
        try {
            perform(tcpEngine, tcpEngine.forget(peer, "tcp connection closed"));
        } finally {
            lock.unlock();
        }
    }

    ControlServer engine() {
        return engine;
    }

    private void onDatagram(UdpEndpoint from, PooledBuffer payload, DatagramAddresses addresses) {
        try {
            // Control packets are few and small: copying one off the receive buffer costs nothing
            // that matters. (The data channel, when it exists, must decrypt in place instead.)
            byte[] d = payload.toByteArray();
            Peer peer = new Peer(addresses.source().toInetSocketAddress().getAddress(), addresses.source().port());
            lock.lock();
            try {
                if (stopping) {
                    return;
                }
                perform(engine, engine.receive(peer, d, 0, d.length, clock.nanoTime(), clock.now().getEpochSecond()));
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            // Never out of the event loop: a bug here costs this datagram only.
            LOG.log(Level.WARNING, "dropped a datagram: " + e);
        } finally {
            payload.release();
        }
    }

    private void tick() {
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            perform(engine, engine.poll(clock.nanoTime(), clock.now().getEpochSecond()));
            perform(tcpEngine, tcpEngine.poll(clock.nanoTime(), clock.now().getEpochSecond()));
            timer = clock.schedule(TICK, this::tick);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "control-channel timer: " + e);
            timer = clock.schedule(TICK, this::tick);
        } finally {
            lock.unlock();
        }
    }

    private void perform(ControlServer from, List<Action> actions) {
        for (Action a : actions) {
            switch (a) {
                case Action.Send s -> {
                    if (from == engine) {
                        send(s);
                    } else {
                        tcp.send(s.peer(), s.datagram());
                    }
                }
                case Action.SessionOpened o -> {
                    metrics.counter("openvpn.sessions.opened").increment();
                    LOG.log(Level.INFO, "session from " + o.peer() + " (client session "
                            + Long.toHexString(o.clientSessionId()) + ")");
                }
                case Action.TlsClientHello h -> {
                    metrics.counter("openvpn.tls.client-hellos").increment();
                    LOG.log(Level.INFO, "TLS ClientHello from " + h.peer() + " over the control channel ("
                            + h.tlsOctets() + " octets so far)");
                }
                case Action.KeyExchanged k -> {
                    metrics.counter("openvpn.key-exchanges").increment();
                    LOG.log(Level.INFO, "TLS and key method 2 done with " + k.peer() + " (" + k.client().peerInfoMap()
                            .getOrDefault("IV_VER", "unknown version") + ")");
                }
                case Action.Pushed p -> {
                    pushedBy.put(p.tunnelAddress(), from);
                    metrics.counter("openvpn.pushes").increment();
                    LOG.log(Level.INFO, "pushed to " + p.peer() + ": " + p.options());
                }
                case Action.DataPing d -> metrics.counter("openvpn.data.pings").increment();
                case Action.BadSource b -> LOG.log(Level.INFO, "dropped a tunnel packet from " + b.peer() + " with source "
                        + atoll.stack.wire.Ipv4Address.toString(b.source()) + ", not its address "
                        + atoll.stack.wire.Ipv4Address.toString(b.tunnelAddress()) + " (later ones only counted)");
                case Action.TunnelPacket t -> {
                    var gw = tunnel;
                    if (gw != null) {
                        gw.receive(t.packet());
                    }
                }
                case Action.SessionClosed c -> {
                    if (c.why().startsWith("tls: ")) {
                        metrics.counter("openvpn.tls.failures").increment();
                    }
                    LOG.log(Level.INFO, "session from " + c.peer() + " closed: " + c.why());
                }
            }
        }
        for (Drop d : Drop.values()) {
            long n = engine.drops(d) + tcpEngine.drops(d);
            long before = dropsSeen.getOrDefault(d, 0L);
            if (n > before) {
                metrics.counter(d.metricName()).add(n - before);
                dropsSeen.put(d, n);
            }
        }
    }

    private void send(Action.Send s) {
        PooledBuffer out = pool.tryAcquire();
        if (out == null) {
            return; // out of buffers: the reliability layer retransmits
        }
        if (out.tailroom() < s.datagram().length) {
            out.release();
            return;
        }
        out.put(s.datagram(), 0, s.datagram().length);
        endpoint.send(out, new InetSocketAddress(s.peer().address(), s.peer().port()));
    }

    @Override
    public void stop(Duration grace) {
        stopping = true;
        lock.lock();
        try {
            var gw = tunnel;
            if (gw != null) {
                gw.close();
            }
        } finally {
            lock.unlock();
        }
        Timer t = timer;
        if (t != null) {
            t.cancel();
        }
        UdpEndpoint e = endpoint;
        if (e != null) {
            e.close();
        }
        TcpListener l = listener;
        if (l != null) {
            l.close();
        }
    }
}
