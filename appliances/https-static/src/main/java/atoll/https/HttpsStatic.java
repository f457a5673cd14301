package atoll.https;

import atoll.https.http1.Limits;
import atoll.https.http1.RequestParser;
import atoll.https.serve.ResponsePolicy;
import atoll.https.serve.StaticResponder;
import atoll.https.site.Site;
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
import atoll.libos.store.DirectoryStore;
import atoll.libos.time.Clock;
import atoll.tls.DevelopmentCertificates;
import atoll.tls.Pem;
import atoll.tls.ServerIdentity;
import atoll.tls.TlsFlow;
import atoll.tls.TlsServer;
import atoll.tls.TlsSettings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The static-site appliance: serves a site (baked into the image, or a directory) over HTTPS
 * (TLS 1.3/1.2, HTTP/1.1), and redirects plain HTTP to HTTPS.
 */
public final class HttpsStatic implements Appliance {
    private static final System.Logger LOG = System.getLogger("https-static");

    static final ConfigKey<List<InetAddress>> LISTEN = ConfigKey.of("listen",
            ValueTypes.listOf(ValueTypes.inetAddress()),
            List.of(InetAddress.getLoopbackAddress(), loopback6()),
            "addresses to serve on (0.0.0.0 and :: mean every address)");
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.portOrZero(), 8443,
            "HTTPS port (443 needs CAP_NET_BIND_SERVICE; 0 picks a free one, logged)");
    static final ConfigKey<Boolean> HTTP_REDIRECT = ConfigKey.of("http.redirect", ValueTypes.bool(), true,
            "also listen for plain HTTP on http.port and redirect every request to HTTPS");
    static final ConfigKey<Integer> HTTP_PORT = ConfigKey.of("http.port", ValueTypes.portOrZero(), 8080,
            "plain-HTTP port that redirects to HTTPS (0 picks a free one)");
    static final ConfigKey<String> SITE_DIR = ConfigKey.of("site.dir", ValueTypes.string(), "",
            "directory to serve, read at start-up; empty serves the site baked into the image");
    static final ConfigKey<String> SITE_INDEX = ConfigKey.of("site.index", ValueTypes.nonEmptyString(), "index.html",
            "file served for a directory");
    static final ConfigKey<String> SITE_NOT_FOUND = ConfigKey.of("site.not-found", ValueTypes.string(), "404.html",
            "site file sent with a 404 (empty: a built-in text)");
    static final ConfigKey<List<String>> TLS_CERTIFICATES = ConfigKey.of("tls.certificates",
            ValueTypes.listOf(ValueTypes.nonEmptyString()), List.of(),
            "certificates as chain.pem=key.pem entries (PEM, leaf first; ECDSA P-256 or RSA), first is the"
                    + " default, the rest chosen by SNI; empty: a development CA and certificate in the state store");
    static final ConfigKey<List<String>> TLS_DEV_NAMES = ConfigKey.of("tls.dev-names",
            ValueTypes.listOf(ValueTypes.nonEmptyString()), List.of(),
            "extra DNS names for the development certificate (besides localhost, 127.0.0.1, ::1)");
    static final ConfigKey<Duration> TLS_HANDSHAKE_TIMEOUT = ConfigKey.of("tls.handshake-timeout",
            ValueTypes.duration(), Duration.ofSeconds(10), "longest silence from a client during the TLS handshake");
    static final ConfigKey<Integer> TLS_SESSION_CACHE = ConfigKey.of("tls.session-cache",
            ValueTypes.integer(0, 1_000_000), 10_000, "TLS 1.2 sessions kept for resumption (0: none)");
    static final ConfigKey<String> HSTS = ConfigKey.of("http.hsts", ValueTypes.string(), "max-age=31536000",
            "Strict-Transport-Security value on HTTPS responses (RFC 6797); empty sends none");
    static final ConfigKey<Boolean> SECURITY_HEADERS = ConfigKey.of("http.security-headers", ValueTypes.bool(), true,
            "send X-Content-Type-Options, X-Frame-Options, Referrer-Policy and Content-Security-Policy");
    static final ConfigKey<String> CSP = ConfigKey.of("http.csp", ValueTypes.string(), "default-src 'self'",
            "Content-Security-Policy value (with http.security-headers); empty sends none");
    static final ConfigKey<Integer> MAX_REQUEST_LINE = ConfigKey.of("http.max-request-line",
            ValueTypes.integer(64, 65_536), Limits.DEFAULT.maxRequestLine(), "longest request line (over it: 414)");
    static final ConfigKey<Integer> MAX_HEADER_BYTES = ConfigKey.of("http.max-header-bytes",
            ValueTypes.integer(256, 60_000), Limits.DEFAULT.maxHeaderBytes(), "largest request head (over it: 431)");
    static final ConfigKey<Integer> MAX_HEADERS = ConfigKey.of("http.max-headers",
            ValueTypes.integer(1, 1000), Limits.DEFAULT.maxHeaderFields(), "most header fields (over it: 431)");
    static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.of("http.idle-timeout", ValueTypes.duration(),
            Duration.ofSeconds(60), "close a kept-alive connection idle this long between requests");
    static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.of("http.request-timeout", ValueTypes.duration(),
            Duration.ofSeconds(10), "a request head must arrive whole within this (slow clients are cut off)");
    static final ConfigKey<Duration> SEND_TIMEOUT = ConfigKey.of("http.send-timeout", ValueTypes.duration(),
            Duration.ofSeconds(60), "close the connection if a client takes longer than this to take a response");
    static final ConfigKey<Boolean> ACCESS_LOG = ConfigKey.of("access-log", ValueTypes.bool(), true,
            "log every request in the combined log format (logger https-static.access)");

    /** Where the image's site lives in the read-only store. */
    static final String EMBEDDED_SITE = "site/";

    private final List<TcpListener> httpsListeners = new ArrayList<>();
    private final List<TcpListener> httpListeners = new ArrayList<>();
    private final Set<TcpFlow> idleFlows = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile DevelopmentCertificates.Loaded development;

    @Override
    public String name() {
        return "https-static";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LISTEN, PORT, HTTP_REDIRECT, HTTP_PORT, SITE_DIR, SITE_INDEX, SITE_NOT_FOUND, TLS_CERTIFICATES,
                TLS_DEV_NAMES, TLS_HANDSHAKE_TIMEOUT, TLS_SESSION_CACHE, HSTS, SECURITY_HEADERS, CSP, MAX_REQUEST_LINE,
                MAX_HEADER_BYTES, MAX_HEADERS, IDLE_TIMEOUT, REQUEST_TIMEOUT, SEND_TIMEOUT, ACCESS_LOG);
    }

    @Override
    public void start(Devices devices) throws Exception {
        Config config = devices.config();
        Site site = loadSite(config.get(SITE_DIR), devices);
        List<ServerIdentity> identities = identities(config, devices);
        TlsServer tls = new TlsServer(new TlsSettings(identities, List.of("h2", "http/1.1"), config.get(TLS_SESSION_CACHE),
                Duration.ofHours(1)), devices.entropy(), devices.clock());
        StaticResponder responder = new StaticResponder(site, new ResponsePolicy(config.get(SITE_INDEX),
                config.get(SITE_NOT_FOUND), config.get(HSTS), config.get(SECURITY_HEADERS), config.get(CSP)));
        Limits limits;
        try {
            limits = new Limits(config.get(MAX_REQUEST_LINE), config.get(MAX_HEADER_BYTES), config.get(MAX_HEADERS));
        } catch (IllegalArgumentException e) {
            throw new StartupException("http.max-header-bytes must be at least http.max-request-line");
        }
        RequestParser parser = new RequestParser(limits);
        Http1Connection.Timeouts timeouts = new Http1Connection.Timeouts(config.get(IDLE_TIMEOUT),
                config.get(REQUEST_TIMEOUT), config.get(SEND_TIMEOUT));
        AccessLog accessLog = new AccessLog(config.get(ACCESS_LOG));
        NetworkStack net = devices.network();
        Clock clock = devices.clock();
        Duration handshakeTimeout = config.get(TLS_HANDSHAKE_TIMEOUT);

        for (InetAddress address : config.get(LISTEN)) {
            InetSocketAddress at = new InetSocketAddress(address, config.get(PORT));
            try {
                httpsListeners.add(net.listenTcp(at, raw -> {
                    TlsFlow flow;
                    try {
                        flow = tls.accept(raw, handshakeTimeout);
                    } catch (IOException handshakeFailed) {
                        LOG.log(Level.DEBUG, () -> "tls handshake with " + Addresses.format(raw.remoteAddress())
                                + " failed: " + handshakeFailed.getMessage());
                        return;
                    }
                    try (flow) {
                        boolean h2 = flow.session().applicationProtocol().filter("h2"::equals).isPresent();
                        if (h2) {
                            serve(new H2Connection(flow, (req, now) -> responder.respond(req, now, true),
                                    clock, timeouts, accessLog, () -> stopping, () -> idleFlows.add(raw),
                                    () -> idleFlows.remove(raw))::serve, raw);
                        } else {
                            serve(new Http1Connection(flow, parser,
                                    (req, now) -> responder.respond(req, now, true), clock, timeouts, accessLog,
                                    () -> stopping, () -> idleFlows.add(raw), () -> idleFlows.remove(raw))::serve, raw);
                        }
                    }
                }));
            } catch (IOException e) {
                stop(Duration.ZERO);
                throw new StartupException("cannot listen on " + Addresses.format(at) + " (configuration keys 'listen'"
                        + " and 'port'): " + e.getMessage(), e);
            }
        }
        if (config.get(HTTP_REDIRECT)) {
            int httpsPort = httpsListeners.getFirst().localAddress().getPort();
            for (InetAddress address : config.get(LISTEN)) {
                InetSocketAddress at = new InetSocketAddress(address, config.get(HTTP_PORT));
                try {
                    httpListeners.add(net.listenTcp(at, raw -> serve(new Http1Connection(raw, parser,
                            (req, now) -> responder.redirectToHttps(req, httpsPort, now), clock, timeouts, accessLog,
                            () -> stopping, () -> idleFlows.add(raw), () -> idleFlows.remove(raw))::serve, raw)));
                } catch (IOException e) {
                    stop(Duration.ZERO);
                    throw new StartupException("cannot listen on " + Addresses.format(at) + " (configuration keys"
                            + " 'listen' and 'http.port'): " + e.getMessage(), e);
                }
            }
        }
        LOG.log(Level.INFO, "serving " + site.fileCount() + " files (" + site.totalBytes() + " bytes) from "
                + (config.get(SITE_DIR).isEmpty() ? "the image" : config.get(SITE_DIR)));
        for (TcpListener l : httpsListeners) {
            LOG.log(Level.INFO, "https on " + Addresses.format(l.localAddress()));
        }
        for (TcpListener l : httpListeners) {
            LOG.log(Level.INFO, "http on " + Addresses.format(l.localAddress()) + " (redirects to https)");
        }
    }

    /** One connection's loop, whichever protocol. */
    @FunctionalInterface
    private interface ConnectionLoop {
        void serve() throws IOException;
    }

    private void serve(ConnectionLoop connection, TcpFlow raw) throws IOException {
        try {
            connection.serve();
        } catch (IOException e) {
            if (!stopping) {
                LOG.log(Level.DEBUG, () -> "connection from " + Addresses.format(raw.remoteAddress()) + ": "
                        + e.getMessage());
            }
        } finally {
            idleFlows.remove(raw);
        }
    }

    private List<ServerIdentity> identities(Config config, Devices devices) throws StartupException {
        List<ServerIdentity> out = new ArrayList<>();
        for (String entry : config.get(TLS_CERTIFICATES)) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new StartupException("tls.certificates entry '" + entry + "' is not chain.pem=key.pem");
            }
            String chain = entry.substring(0, eq).strip();
            String key = entry.substring(eq + 1).strip();
            try {
                out.add(Pem.identity(Files.readAllBytes(Path.of(chain)), chain, Files.readAllBytes(Path.of(key)), key));
            } catch (IOException e) {
                throw new StartupException("tls.certificates: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            try {
                development = DevelopmentCertificates.loadOrCreate(devices.state(), devices.entropy(),
                        devices.clock().now(), config.get(TLS_DEV_NAMES));
            } catch (IOException e) {
                throw new StartupException("cannot set up the development certificate: " + e.getMessage(), e);
            }
            LOG.log(Level.INFO, (development.created() ? "generated" : "using") + " development certificate "
                    + development.serverCertificate() + "; clients trust the CA in " + development.caCertificate()
                    + " (configure tls.certificates for a real one)");
            out.add(development.identity());
        }
        return out;
    }

    /** The development certificates in use, if no certificate was configured. */
    DevelopmentCertificates.Loaded development() {
        return development;
    }

    static Site loadSite(String dir, Devices devices) throws StartupException {
        try {
            if (dir.isEmpty()) {
                Instant built = BuildInfo.builtAt();
                return Site.load(devices.data(), EMBEDDED_SITE, key -> built);
            }
            DirectoryStore store = DirectoryStore.existing(Path.of(dir));
            return Site.load(store, "", key -> {
                try {
                    return Files.getLastModifiedTime(store.root().resolve(key)).toInstant();
                } catch (IOException e) {
                    return Instant.EPOCH;
                }
            });
        } catch (IOException e) {
            throw new StartupException("cannot load the site" + (dir.isEmpty() ? "" : " from " + dir)
                    + " (configuration key 'site.dir'): " + e.getMessage(), e);
        }
    }

    List<InetSocketAddress> httpsAddresses() {
        return httpsListeners.stream().map(TcpListener::localAddress).toList();
    }

    List<InetSocketAddress> httpAddresses() {
        return httpListeners.stream().map(TcpListener::localAddress).toList();
    }

    @Override
    public void stop(Duration grace) {
        stopping = true;
        for (TcpListener l : httpsListeners) {
            l.close();
        }
        for (TcpListener l : httpListeners) {
            l.close();
        }
        // Connections waiting for their next request are closed now; one answering finishes its response.
        for (TcpFlow idle : idleFlows) {
            idle.close();
        }
        httpsListeners.clear();
        httpListeners.clear();
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
