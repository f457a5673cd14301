package atoll.dns;

import atoll.dns.wire.MessageWriter;
import atoll.dns.zone.AnswerStyle;
import atoll.dns.zone.ZoneSet;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.Addresses;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.libos.runtime.Appliance;
import atoll.libos.runtime.Devices;
import atoll.libos.runtime.ReloadOutcome;
import atoll.libos.runtime.StartupException;
import atoll.libos.store.ReadOnlyStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The authoritative DNS server appliance: loads its zones at start-up and answers queries over UDP
 * and TCP on every configured address.
 */
public final class DnsServer implements Appliance {
    private static final System.Logger LOG = System.getLogger("dns-server");
    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static final ConfigKey<List<InetAddress>> LISTEN = ConfigKey.of("listen",
            ValueTypes.nonEmptyListOf(ValueTypes.inetAddress()),
            List.of(InetAddress.getLoopbackAddress(), loopback6()),
            "addresses to answer on, over UDP and TCP (0.0.0.0 means every IPv4 address, :: every IPv6 address;"
                    + " a UDP answer leaves from the address asked)");
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.portOrZero(), 5300,
            "port to answer on, over UDP and TCP (53 needs CAP_NET_BIND_SERVICE; 0 picks a free one, logged)");
    static final ConfigKey<List<ZoneSource>> ZONES = ConfigKey.of("zones", ZoneSource.LIST,
            List.of(new ZoneSource(atoll.dns.wire.Name.parse("example.com."),
                    ZoneSource.EMBEDDED + "zones/example.com.zone")),
            "zones to serve, as origin=path entries; embedded:<key> is a file baked into the image");
    /** Bounds for the TCP deadlines: 0 would not mean "never" but switch a protection off, so it is refused. */
    private static final Duration DEADLINE_MIN = Duration.ofMillis(1);
    private static final Duration DEADLINE_MAX = Duration.ofHours(1);
    static final ConfigKey<Duration> TCP_IDLE = ConfigKey.of("tcp.idle-timeout",
            ValueTypes.duration(DEADLINE_MIN, DEADLINE_MAX), Duration.ofSeconds(10),
            "close a TCP connection when no query begins for this long after the last answer (RFC 7766 §6.2.3);"
                    + " signalled to clients that send edns-tcp-keepalive (RFC 7828)");
    static final ConfigKey<Duration> TCP_QUERY = ConfigKey.of("tcp.query-timeout",
            ValueTypes.duration(DEADLINE_MIN, DEADLINE_MAX), Duration.ofSeconds(5),
            "close a TCP connection whose query is not complete this long after its first octet (trickling does not extend it)");
    static final ConfigKey<Duration> TCP_WRITE = ConfigKey.of("tcp.write-timeout",
            ValueTypes.duration(DEADLINE_MIN, DEADLINE_MAX), Duration.ofSeconds(5),
            "close a TCP connection whose client has not taken an answer this long after it was ready to send (a client that does not read)");
    static final ConfigKey<Integer> EDNS_UDP_SIZE = ConfigKey.of("edns.udp-size",
            ValueTypes.integer(512, 4096), 1232,
            "largest UDP response to an EDNS client, and the size advertised (RFC 6891 §6.2.5)");
    static final ConfigKey<byte[]> NSID = ConfigKey.of("nsid", Nsid.TYPE, new byte[0],
            "name server identifier sent to clients that ask (RFC 5001): text, or hex:<octets>; empty sends none");
    static final ConfigKey<Boolean> MINIMAL = ConfigKey.of("answers.minimal", ValueTypes.bool(), true,
            "positive answers carry only the data asked for and its addresses; false adds the zone's NS RRset"
                    + " (authority) and their addresses (additional)");

    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private final List<TcpListener> listeners = new ArrayList<>();
    private volatile QueryEngine engine;
    private volatile Devices devices;
    private volatile boolean stopping;
    /** TCP flows waiting for their next query: closed at once on stop, as nothing is in flight. */
    private final java.util.Set<TcpFlow> idleFlows = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "dns-server";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LISTEN, PORT, ZONES, TCP_IDLE, TCP_QUERY, TCP_WRITE, EDNS_UDP_SIZE, NSID, MINIMAL);
    }

    @Override
    public void start(Devices devices) throws Exception {
        Config config = devices.config();
        this.devices = devices;
        ZoneSet zones = loadZones(config.get(ZONES), devices.data(), style(config));
        Metrics metrics = devices.metrics();
        engine = new QueryEngine(zones,
                new EdnsSettings(config.get(EDNS_UDP_SIZE), config.get(NSID), config.get(TCP_IDLE)), metrics);

        NetworkStack net = devices.network();
        int port = config.get(PORT);
        FlowDeadlines deadlines = new FlowDeadlines(config.get(TCP_IDLE), config.get(TCP_QUERY), config.get(TCP_WRITE));
        Metrics.Counter udpQueries = metrics.counter("dns.queries.udp");
        Metrics.Counter tcpQueries = metrics.counter("dns.queries.tcp");
        for (InetAddress address : config.get(LISTEN)) {
            InetSocketAddress at = new InetSocketAddress(address, port);
            try {
                // One UdpService (writer, query view) per event loop: nothing shared on the query path
                // but the immutable zones.
                endpoints.add(net.bindUdpPerLoop(at, loop -> new UdpService(engine, net.bufferPool(loop), udpQueries)));
                listeners.add(net.listenTcp(at, flow -> serveTcp(flow, deadlines, tcpQueries)));
            } catch (IOException e) {
                stop(Duration.ZERO);
                throw new StartupException("cannot listen on " + Addresses.format(at) + " (configuration keys 'listen'"
                        + " and 'port'): " + e.getMessage(), e);
            }
        }
        for (UdpEndpoint e : endpoints) {
            LOG.log(Level.INFO, "answering on udp " + Addresses.format(e.localAddress()));
        }
        for (TcpListener l : listeners) {
            LOG.log(Level.INFO, "answering on tcp " + Addresses.format(l.localAddress()));
        }
    }

    /** The UDP address actually bound for each listen address (port 0 picks one). */
    List<InetSocketAddress> udpAddresses() {
        return endpoints.stream().map(UdpEndpoint::localAddress).toList();
    }

    /** The TCP address actually bound for each listen address. */
    List<InetSocketAddress> tcpAddresses() {
        return listeners.stream().map(TcpListener::localAddress).toList();
    }

    @Override
    public void stop(Duration grace) {
        // Stop taking new work; a TCP flow answering a query finishes it (the platform waits up to
        // the grace), a flow waiting for its next query is closed now.
        stopping = true;
        for (TcpListener l : listeners) {
            l.close();
        }
        for (TcpFlow idle : idleFlows) {
            idle.close();
        }
        for (UdpEndpoint e : endpoints) {
            e.close();
        }
        listeners.clear();
        endpoints.clear();
    }

    private static AnswerStyle style(Config config) {
        return config.get(MINIMAL) ? AnswerStyle.MINIMAL : AnswerStyle.WITH_AUTHORITY;
    }

    static ZoneSet loadZones(List<ZoneSource> sources, ReadOnlyStore data, AnswerStyle style) throws StartupException {
        ZoneLoader.Loaded loaded = ZoneLoader.load(sources, data, style);
        // Logged once every zone loaded: a failed start-up leaves only its one error line.
        loaded.info().forEach(line -> LOG.log(Level.INFO, line));
        loaded.warnings().forEach(line -> LOG.log(Level.WARNING, line));
        return loaded.zones();
    }

    /**
     * SIGHUP: reads the zone files named by the running configuration again (the configuration
     * itself is not re-read) and swaps them in as a whole. A query in flight finishes on the zones
     * it started with. If any file is unreadable or broken, nothing changes: the old zones stay in
     * service and the outcome names {@code file:line}.
     */
    @Override
    public ReloadOutcome reload() {
        Devices d = devices;
        QueryEngine e = engine;
        if (d == null || e == null) {
            return new ReloadOutcome.Failed("not started");
        }
        ZoneLoader.Loaded loaded;
        try {
            loaded = ZoneLoader.load(d.config().get(ZONES), d.data(), style(d.config()));
        } catch (StartupException bad) {
            return new ReloadOutcome.Failed(bad.getMessage());
        }
        loaded.warnings().forEach(line -> LOG.log(Level.WARNING, line));
        e.replaceZones(loaded.zones());
        return new ReloadOutcome.Reloaded(String.join("; ", loaded.info()));
    }

    /**
     * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message is preceded by a two-octet length.
     * Queries on one connection are answered in order. Each query is one protocol unit of the
     * flow: it must be complete within {@code tcp.query-timeout} of its first octet, the idle
     * timeout counts from one answer to the next query's first octet (RFC 7766 §6.2.3), and each
     * answer must be taken within {@code tcp.write-timeout}. The connection is also closed on a
     * malformed frame or when the client closes.
     *
     * <p>Between queries the flow holds no buffer: it waits for the next octet with
     * {@link TcpFlow#awaitReadable()}, so idle connections cost no pooled memory; a query being read
     * holds one buffer, its answer a second one until written.
     */
    private void serveTcp(TcpFlow flow, FlowDeadlines deadlines, Metrics.Counter queries) throws IOException {
        flow.deadlines(deadlines);
        MessageWriter writer = new MessageWriter();
        PooledBuffer in = null;
        try {
            while (!stopping) {
                if (in == null) {
                    // RFC 7766 §6.2.3: the idle timeout runs while no query is under way.
                    idleFlows.add(flow);
                    try {
                        if (stopping) {
                            return;
                        }
                        flow.awaitReadable();
                    } finally {
                        idleFlows.remove(flow);
                    }
                    in = flow.acquireBuffer();
                    // Use the whole block: a framed message is up to 2 + 65535 octets.
                    in.window(0, 0);
                }
                if (!fill(flow, in, 2)) {
                    return;
                }
                int length = in.getU16(0);
                if (length < 12 || 2 + length > in.capacity()) {
                    return; // RFC 7766 §8: a length that cannot be a DNS message; close.
                }
                if (!fill(flow, in, 2 + length)) {
                    return;
                }
                queries.increment();
                try (PooledBuffer out = flow.acquireBuffer()) {
                    MemorySegment room = out.memory().asSlice(out.end(), out.tailroom());
                    int n = engine.respond(in.slice(2, length), Transport.TCP, room, writer);
                    if (n >= 0) {
                        out.append(n);
                        // The length prefix goes into the headroom in front of the message.
                        MemorySegment prefix = out.prepend(2);
                        prefix.set(U16, 0, (short) n);
                        flow.write(out);
                    }
                }
                // Drop the answered frame and move what follows to the front.
                in.consume(2 + length);
                int rest = in.length();
                MemorySegment.copy(in.memory(), in.start(), in.memory(), 0, rest);
                in.window(0, rest);
                flow.unitComplete(rest > 0);
                if (rest == 0) {
                    in.release();
                    in = null;
                }
            }
        } catch (FlowTimeoutException e) {
            LOG.log(Level.DEBUG, "closing tcp connection from " + Addresses.format(flow.remoteAddress()) + ": "
                    + e.getMessage());
        } catch (IOException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            if (in != null) {
                in.release();
            }
        }
    }

    /** Reads until the window holds at least {@code n} octets; false at end of stream. */
    private static boolean fill(TcpFlow flow, PooledBuffer in, int n) throws IOException {
        while (in.length() < n) {
            if (flow.read(in) < 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
