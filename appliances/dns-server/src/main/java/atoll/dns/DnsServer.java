package atoll.dns;

import atoll.dns.wire.MessageWriter;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileException;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.Addresses;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.libos.runtime.Appliance;
import atoll.libos.runtime.Devices;
import atoll.libos.runtime.StartupException;
import atoll.libos.store.ReadOnlyStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
            ValueTypes.listOf(ValueTypes.inetAddress()),
            List.of(InetAddress.getLoopbackAddress(), loopback6()),
            "addresses to answer on, over UDP and TCP (0.0.0.0 means every IPv4 address, :: every IPv6 address;"
                    + " a UDP answer leaves from the address asked)");
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.portOrZero(), 5300,
            "port to answer on, over UDP and TCP (53 needs CAP_NET_BIND_SERVICE; 0 picks a free one, logged)");
    static final ConfigKey<List<ZoneSource>> ZONES = ConfigKey.of("zones", ZoneSource.LIST,
            List.of(new ZoneSource(atoll.dns.wire.Name.parse("example.com."),
                    ZoneSource.EMBEDDED + "zones/example.com.zone")),
            "zones to serve, as origin=path entries; embedded:<key> is a file baked into the image");
    static final ConfigKey<Duration> TCP_IDLE = ConfigKey.of("tcp.idle-timeout", ValueTypes.duration(),
            Duration.ofSeconds(10),
            "close a TCP connection that sends no query for this long (RFC 7766 §6.2.3)");
    static final ConfigKey<Integer> EDNS_UDP_SIZE = ConfigKey.of("edns.udp-size",
            ValueTypes.integer(512, 4096), 1232,
            "largest UDP response to an EDNS client, and the size advertised (RFC 6891 §6.2.5)");

    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private final List<TcpListener> listeners = new ArrayList<>();
    private volatile QueryEngine engine;
    private volatile boolean stopping;
    /** TCP flows waiting for their next query: closed at once on stop, as nothing is in flight. */
    private final java.util.Set<TcpFlow> idleFlows = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "dns-server";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LISTEN, PORT, ZONES, TCP_IDLE, EDNS_UDP_SIZE);
    }

    @Override
    public void start(Devices devices) throws Exception {
        Config config = devices.config();
        ZoneSet zones = loadZones(config.get(ZONES), devices.data());
        Metrics metrics = devices.metrics();
        engine = new QueryEngine(zones, config.get(EDNS_UDP_SIZE), metrics);

        NetworkStack net = devices.network();
        int port = config.get(PORT);
        Duration idle = config.get(TCP_IDLE);
        Metrics.Counter udpQueries = metrics.counter("dns.queries.udp");
        Metrics.Counter tcpQueries = metrics.counter("dns.queries.tcp");
        for (InetAddress address : config.get(LISTEN)) {
            InetSocketAddress at = new InetSocketAddress(address, port);
            try {
                endpoints.add(net.bindUdp(at, new UdpService(engine, net.bufferPool(), udpQueries)));
                listeners.add(net.listenTcp(at, flow -> serveTcp(flow, net.bufferPool(), idle, tcpQueries)));
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

    static ZoneSet loadZones(List<ZoneSource> sources, ReadOnlyStore data) throws StartupException {
        List<Zone> zones = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        for (ZoneSource source : sources) {
            String text;
            String where;
            try {
                if (source.embedded()) {
                    where = source.embeddedKey();
                    text = new String(data.read(source.embeddedKey()), StandardCharsets.UTF_8);
                } else {
                    where = source.path();
                    text = Files.readString(Path.of(source.path()), StandardCharsets.UTF_8);
                }
            } catch (NoSuchFileException e) {
                throw new StartupException("zone file not found: " + source.path() + " (configuration key 'zones')");
            } catch (IOException e) {
                throw new StartupException("cannot read zone file " + source.path() + ": " + e.getMessage());
            }
            try {
                Zone zone = ZoneFileParser.parse(text, where, source.origin());
                if (!zone.origin().equals(source.origin())) {
                    throw new StartupException(where + ": zone apex " + zone.origin()
                            + " differs from the origin " + source.origin() + " configured in 'zones'");
                }
                loaded.add("loaded zone " + zone.origin() + " from " + where + ": " + zone.recordCount()
                        + " records, serial " + ((atoll.dns.wire.Rdata.SOA) zone.soa().rdata()).serial());
                for (String warning : zone.warnings()) {
                    loaded.add("zone " + zone.origin() + ": " + warning);
                }
                zones.add(zone);
            } catch (ZoneFileException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }
        // Logged once every zone loaded: a failed start-up leaves only its one error line.
        loaded.forEach(line -> LOG.log(line.startsWith("zone ") ? Level.WARNING : Level.INFO, line));
        return new ZoneSet(zones);
    }

    /**
     * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message is preceded by a two-octet length.
     * Queries on one connection are answered in order; the connection is closed after
     * {@code idle} without a query, on a malformed frame, or when the client closes.
     */
    private void serveTcp(TcpFlow flow, BufferPool pool, Duration idle, Metrics.Counter queries)
            throws IOException {
        flow.readTimeout(idle);
        PooledBuffer in = pool.acquire();
        PooledBuffer out = pool.acquire();
        MessageWriter writer = new MessageWriter();
        try {
            // Use the whole block: a framed message is up to 2 + 65535 octets.
            in.window(0, 0);
            while (!stopping) {
                if (in.length() < 2) {
                    idleFlows.add(flow);
                    try {
                        if (stopping || !fill(flow, in, 2)) {
                            return;
                        }
                    } finally {
                        idleFlows.remove(flow);
                    }
                }
                int length = in.getU16(0);
                if (length < 12 || 2 + length > in.capacity()) {
                    return; // RFC 7766 §8: a length that cannot be a DNS message; close.
                }
                if (!fill(flow, in, 2 + length)) {
                    return;
                }
                queries.increment();
                out.clear();
                MemorySegment room = out.memory().asSlice(out.end(), out.tailroom());
                int n = engine.respond(in.slice(2, length), false, room, writer);
                if (n >= 0) {
                    out.append(n);
                    // The length prefix goes into the headroom in front of the message.
                    MemorySegment prefix = out.prepend(2);
                    prefix.set(U16, 0, (short) n);
                    flow.write(out);
                }
                // Drop the answered frame and move what follows to the front.
                in.consume(2 + length);
                int rest = in.length();
                MemorySegment.copy(in.memory(), in.start(), in.memory(), 0, rest);
                in.window(0, rest);
            }
        } catch (FlowTimeoutException e) {
            LOG.log(Level.DEBUG, "closing idle tcp connection from " + flow.remoteAddress());
        } catch (IOException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            in.release();
            out.release();
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
