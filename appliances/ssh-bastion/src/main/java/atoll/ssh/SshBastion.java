package atoll.ssh;

import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.net.Addresses;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.runtime.Appliance;
import atoll.libos.runtime.Devices;
import atoll.libos.runtime.StartupException;
import atoll.ssh.connection.SessionPolicy;
import atoll.ssh.transport.EcdsaHostKey;
import atoll.ssh.transport.HostKey;
import atoll.ssh.transport.KeyExchange;
import atoll.ssh.transport.RsaHostKey;
import atoll.ssh.transport.ServerHostKey;
import atoll.ssh.transport.TransportPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SSH bastion appliance: an SSH-2 server that authenticates users by public key and opens
 * direct-tcpip channels (what {@code ssh -J} and {@code ssh -W} use) to the destinations each user
 * is allowed, with one JSON audit line per connection and per channel. There is no shell.
 */
public final class SshBastion implements Appliance {
    private static final System.Logger LOG = System.getLogger("ssh-bastion");

    static final List<String> KEX_NAMES = Arrays.stream(KeyExchange.values()).map(k -> k.sshName).toList();

    static final ConfigKey<List<InetAddress>> LISTEN = ConfigKey.of("listen",
            ValueTypes.listOf(ValueTypes.inetAddress()), List.of(InetAddress.getLoopbackAddress()),
            "addresses to accept SSH connections on (0.0.0.0 every IPv4 address, :: every address)");
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.portOrZero(), 2222,
            "TCP port to accept SSH connections on (22 needs CAP_NET_BIND_SERVICE; 0 picks a free one, logged)");
    static final ConfigKey<Path> USERS_DIR = ConfigKey.of("users.dir", ValueTypes.path(), Path.of(""),
            "directory with one authorized_keys file per user, named after the user (empty: nobody may log in)");
    static final ConfigKey<Path> TRUSTED_USER_CA_KEYS = ConfigKey.of("trusted-user-ca-keys", ValueTypes.path(), Path.of(""),
            "file of CA public keys whose user certificates are accepted for any user named in the certificate's"
                    + " principals (sshd's TrustedUserCAKeys; empty: none)");
    static final ConfigKey<List<DestinationRule>> DESTINATIONS = ConfigKey.of("destinations", DestinationRule.LIST,
            List.of(DestinationRule.TYPE.parse("*=localhost:22"), DestinationRule.TYPE.parse("*=127.0.0.1:22"),
                    DestinationRule.TYPE.parse("*=[::1]:22")),
            "where each user may jump to, as user=host:port entries (globs; a key's permitopen= narrows further)");
    static final ConfigKey<List<String>> KEX = ConfigKey.of("kex",
            ValueTypes.listOf(ValueTypes.enumOf(KEX_NAMES.toArray(String[]::new))),
            List.of("mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
                    "curve25519-sha256", "curve25519-sha256@libssh.org"),
            "key exchange methods offered, most preferred first (ecdh-sha2-nistp256 is supported but off by default)");
    static final ConfigKey<List<String>> HOST_KEYS = ConfigKey.of("host-keys",
            ValueTypes.listOf(ValueTypes.enumOf("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", EcdsaHostKey.ALGORITHM)),
            List.of("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"),
            "host key algorithms offered, most preferred first (an RSA key of 3072 bits is generated on first use;"
                    + " ecdsa-sha2-nistp256 is supported but off by default)");
    static final ConfigKey<List<String>> CIPHERS = ConfigKey.of("ciphers",
            ValueTypes.listOf(ValueTypes.enumOf(TransportPolicy.SUPPORTED_CIPHERS.toArray(String[]::new))),
            TransportPolicy.SUPPORTED_CIPHERS, "ciphers offered, most preferred first (aes*-ctr only with one of 'macs')");
    static final ConfigKey<List<String>> MACS = ConfigKey.of("macs",
            ValueTypes.listOf(ValueTypes.enumOf(TransportPolicy.SUPPORTED_MACS.toArray(String[]::new))),
            TransportPolicy.SUPPORTED_MACS, "MACs offered for the aes*-ctr ciphers (encrypt-then-MAC only), most preferred first");
    static final ConfigKey<Long> REKEY_BYTES = ConfigKey.of("rekey.bytes", ByteSize.TYPE, 1L << 30,
            "start a new key exchange after this much data either way (RFC 4253 §9)");
    static final ConfigKey<Duration> REKEY_TIME = ConfigKey.of("rekey.time", ValueTypes.duration(), Duration.ofHours(1),
            "start a new key exchange after this long (RFC 4253 §9)");
    static final ConfigKey<Duration> LOGIN_TIMEOUT = ConfigKey.of("login.timeout", ValueTypes.duration(),
            Duration.ofSeconds(30), "drop a connection not authenticated within this long (sshd's LoginGraceTime)");
    static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.of("idle.timeout", ValueTypes.duration(),
            Duration.ofMinutes(15), "drop a connection with no traffic either way on any of its channels for this long");
    static final ConfigKey<Duration> PACKET_TIMEOUT = ConfigKey.of("packet.timeout", ValueTypes.duration(),
            Duration.ofSeconds(60), "drop a client that takes longer than this to send one SSH packet once it began (not 0)");
    static final ConfigKey<Duration> WRITE_TIMEOUT = ConfigKey.of("write.timeout", ValueTypes.duration(),
            Duration.ofSeconds(60), "drop a client or destination that does not take our data for this long (not 0)");
    static final ConfigKey<Integer> MAX_AUTH_TRIES = ConfigKey.of("auth.max-tries", ValueTypes.integer(1, 100), 6,
            "failed authentication attempts before the connection is dropped (sshd's MaxAuthTries)");
    static final ConfigKey<Integer> SOURCE_FAILURES = ConfigKey.of("auth.source-failures", ValueTypes.integer(1, 100000),
            30, "failed authentications from one source address within auth.source-window after which its new"
                    + " connections are closed at once");
    static final ConfigKey<Duration> SOURCE_WINDOW = ConfigKey.of("auth.source-window", ValueTypes.duration(),
            Duration.ofMinutes(5), "the sliding window auth.source-failures counts over");
    static final ConfigKey<Integer> MAX_CHANNELS = ConfigKey.of("channels.max", ValueTypes.integer(1, 1000), 10,
            "channels open at once on one connection (sshd's MaxSessions)");
    static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.of("connections.max", ValueTypes.integer(1, 100000),
            200, "connections at once; more are closed at once");
    static final ConfigKey<String> BANNER = ConfigKey.of("session.banner", ValueTypes.nonEmptyString(),
            "this is a jump host: no shell or command here; use ssh -J or ssh -W",
            "message sent to a client asking for a shell or command (a session channel), which is refused");

    private final List<TcpListener> listeners = new ArrayList<>();
    private final Set<BastionConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean stopping;
    private HostKey hostKey;

    @Override
    public String name() {
        return "ssh-bastion";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LISTEN, PORT, USERS_DIR, TRUSTED_USER_CA_KEYS, DESTINATIONS, KEX, HOST_KEYS, CIPHERS, MACS, REKEY_BYTES, REKEY_TIME, LOGIN_TIMEOUT,
                IDLE_TIMEOUT, PACKET_TIMEOUT, WRITE_TIMEOUT, MAX_AUTH_TRIES, SOURCE_FAILURES, SOURCE_WINDOW,
                MAX_CHANNELS, MAX_CONNECTIONS, BANNER);
    }

    @Override
    public void start(Devices devices) throws Exception {
        Config config = devices.config();
        for (ConfigKey<Duration> k : List.of(LOGIN_TIMEOUT, IDLE_TIMEOUT, PACKET_TIMEOUT, WRITE_TIMEOUT, SOURCE_WINDOW)) {
            if (config.get(k).isZero()) {
                // FlowDeadlines: zero switches a protection off; an operator never means that here.
                throw new StartupException("bad value '0s' for configuration key '" + k.name() + "': accepted is a duration above 0");
            }
        }
        List<String> hostKeyAlgorithms = config.get(HOST_KEYS).stream().distinct().toList();
        List<ServerHostKey> keys = new ArrayList<>();
        try {
            for (String alg : hostKeyAlgorithms) {
                boolean[] created = new boolean[1];
                ServerHostKey key;
                if (alg.equals(HostKey.ALGORITHM)) {
                    key = hostKey = HostKeyStore.loadOrCreate(devices.state(), devices.entropy(), created);
                } else if (alg.equals(EcdsaHostKey.ALGORITHM)) {
                    key = HostKeyStore.loadOrCreateEcdsa(devices.state(), devices.entropy(), created);
                } else if (keys.stream().anyMatch(k -> k instanceof RsaHostKey)) {
                    continue;
                } else {
                    key = HostKeyStore.loadOrCreateRsa(devices.state(), devices.entropy(),
                            hostKeyAlgorithms.stream().filter(RsaHostKey.ALGORITHMS::contains).toList(), created);
                }
                keys.add(key);
                LOG.log(Level.INFO, (created[0] ? "generated host key " : "host key ") + key.fingerprint() + " "
                        + key.openSshPublic());
            }
        } catch (IOException e) {
            throw new StartupException("cannot load or create a host key in the state store (state.dir): "
                    + e.getMessage(), e);
        }
        TransportPolicy transport = new TransportPolicy(
                config.get(KEX).stream().distinct().map(KeyExchange::byName).toList(),
                config.get(CIPHERS).stream().distinct().toList(), config.get(MACS).stream().distinct().toList(),
                config.get(REKEY_BYTES),
                config.get(REKEY_TIME).toNanos(), "Atoll_" + Main.version().replace(' ', '_').replace('-', '_'));
        SessionPolicy session = new SessionPolicy(config.get(MAX_AUTH_TRIES), config.get(MAX_CHANNELS), config.get(BANNER));
        Path users = config.get(USERS_DIR);
        if (users.toString().isEmpty()) {
            users = null;
            LOG.log(Level.WARNING, "users.dir is not set: nobody can log in");
        }
        Path cas = config.get(TRUSTED_USER_CA_KEYS);
        if (!cas.toString().isEmpty() && !java.nio.file.Files.isReadable(cas)) {
            throw new StartupException("bad value '" + cas + "' for configuration key '" + TRUSTED_USER_CA_KEYS.name()
                    + "': accepted is a readable file of CA public keys");
        }
        UsersDirectory authenticator = new UsersDirectory(users, config.get(DESTINATIONS),
                cas.toString().isEmpty() ? null : cas, devices.clock());
        NetworkStack net = devices.network();
        BastionConnection.Settings settings = new BastionConnection.Settings(transport, session, authenticator, keys,
                net, devices.clock(), devices.entropy(), config.get(LOGIN_TIMEOUT), config.get(IDLE_TIMEOUT),
                config.get(PACKET_TIMEOUT), config.get(WRITE_TIMEOUT),
                new SourceThrottle(config.get(SOURCE_FAILURES), config.get(SOURCE_WINDOW).toNanos()));
        int maxConnections = config.get(MAX_CONNECTIONS);
        for (InetAddress address : config.get(LISTEN)) {
            InetSocketAddress at = new InetSocketAddress(address, config.get(PORT));
            try {
                listeners.add(net.listenTcp(at, flow -> serve(flow, settings, maxConnections)));
            } catch (IOException e) {
                stop(Duration.ZERO);
                throw new StartupException("cannot listen on " + Addresses.format(at) + " (configuration keys 'listen'"
                        + " and 'port'): " + e.getMessage(), e);
            }
        }
        for (TcpListener l : listeners) {
            LOG.log(Level.INFO, "accepting ssh on tcp " + Addresses.format(l.localAddress()));
        }
    }

    private void serve(TcpFlow flow, BastionConnection.Settings settings, int maxConnections) throws IOException {
        if (stopping) {
            return;
        }
        if (settings.throttle().blocked(flow.remoteAddress().getAddress(), settings.clock().nanoTime())) {
            LOG.log(Level.INFO, "refusing " + Addresses.format(flow.remoteAddress())
                    + ": too many failed authentications from this address (auth.source-failures)");
            return;
        }
        if (active.incrementAndGet() > maxConnections) {
            active.decrementAndGet();
            LOG.log(Level.WARNING, "refusing " + Addresses.format(flow.remoteAddress()) + ": connections.max reached");
            return;
        }
        BastionConnection c = new BastionConnection(flow, settings);
        connections.add(c);
        try {
            c.run();
        } finally {
            connections.remove(c);
            active.decrementAndGet();
        }
    }

    /** The TCP addresses actually bound. */
    List<InetSocketAddress> addresses() {
        return listeners.stream().map(TcpListener::localAddress).toList();
    }

    HostKey hostKey() {
        return hostKey;
    }

    @Override
    public void stop(Duration grace) {
        stopping = true;
        for (TcpListener l : listeners) {
            l.close();
        }
        listeners.clear();
        for (BastionConnection c : connections) {
            c.shutdown();
        }
    }
}
