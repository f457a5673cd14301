package atoll.dns;

import atoll.dns.tsig.TsigKey;
import atoll.dns.wire.Name;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.xfr.AclRule;
import atoll.dns.xfr.Notifier;
import atoll.dns.xfr.Peer;
import atoll.dns.xfr.SecondaryZone;
import atoll.dns.xfr.Serial;
import atoll.dns.xfr.Transfers;
import atoll.dns.xfr.UdpClient;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneSet;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TransportAddress;
import atoll.libos.runtime.Devices;
import atoll.libos.runtime.StartupException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires zone transfers, TSIG, NOTIFY and secondary zones ({@code atoll.dns.xfr}) to the server:
 * their configuration keys, the requests the query engine delegates, and the zone set the engine
 * serves (the primary zones from files plus the secondary zones that have data).
 */
final class XfrService {
    private static final System.Logger LOG = System.getLogger("dns-server");

    static final ConfigKey<String> TSIG_KEYS = ConfigKey.of("tsig.keys", ValueTypes.string(), "",
            "TSIG keys (RFC 8945), comma-separated algorithm:name:base64-secret entries as kdig -y takes them;"
                    + " algorithms hmac-sha256, hmac-sha384, hmac-sha512 (hmac-md5, hmac-sha1, hmac-sha224 for old peers)");
    static final ConfigKey<List<AclRule>> XFR_ALLOW = ConfigKey.of("xfr.allow", AclRule.LIST, List.of(),
            "who may transfer a zone (AXFR/IXFR): origin=ADDRESS[/LENGTH], origin=key:KEYNAME or both joined"
                    + " by '+'; entries are alternatives; nobody when empty");
    static final ConfigKey<List<Peer>> NOTIFY = ConfigKey.of("notify", Peer.list("secondaries to NOTIFY"), List.of(),
            "secondaries told by NOTIFY (RFC 1996) when a zone's serial grows on reload, origin=ADDRESS[@PORT][+key:KEYNAME]");
    static final ConfigKey<List<Peer>> SECONDARY = ConfigKey.of("secondary", Peer.list("primary to transfer from"),
            List.of(), "zones served as a secondary, origin=ADDRESS[@PORT][+key:KEYNAME] of the primary:"
                    + " fetched by AXFR and kept fresh by the SOA timers and NOTIFY; not also in 'zones'");

    static List<ConfigKey<?>> keys() {
        return List.of(TSIG_KEYS, XFR_ALLOW, NOTIFY, SECONDARY);
    }

    private final Devices devices;
    private final QueryEngine engine;
    private final Transfers transfers;
    private final Notifier notifier;
    private final UdpClient udp;
    private final Map<Name, SecondaryZone> secondaries = new LinkedHashMap<>();
    private List<Zone> primaries;
    private final atoll.dns.zone.AnswerStyle style;

    private XfrService(Devices devices, QueryEngine engine, Map<Name, TsigKey> keys, List<Zone> primaries,
            atoll.dns.zone.AnswerStyle style, UdpClient udp) {
        this.style = style;
        Config config = devices.config();
        this.devices = devices;
        this.engine = engine;
        this.primaries = primaries;
        this.udp = udp;
        this.transfers = new Transfers(keys, config.get(XFR_ALLOW), () -> currentZones, this::answerSigned,
                this::onNotify, devices.metrics());
        this.notifier = udp == null ? null
                : new Notifier(config.get(NOTIFY), keys, udp, devices.clock(), devices.entropy(), devices.metrics());
        for (Peer p : config.get(SECONDARY)) {
            secondaries.put(p.zone(), new SecondaryZone(p, p.keyName() == null ? null : keys.get(p.keyName()),
                    devices.network(), udp, devices.clock(), devices.entropy(), devices.state(), devices.metrics(),
                    this::secondaryChanged));
        }
    }

    private volatile ZoneSet currentZones;

    /** A secondary zone was transferred (or expired): serve it, and tell its own secondaries. */
    private void secondaryChanged(SecondaryZone s) {
        publish();
        Zone z = s.zone();
        if (z != null && notifier != null) {
            notifier.zoneChanged(z);
        }
    }

    /**
     * Checks the keys against each other (every key named by an ACL, NOTIFY or secondary entry is
     * in {@code tsig.keys}; no zone both primary and secondary), starts the secondaries and
     * publishes the zone set.
     */
    static XfrService start(Devices devices, QueryEngine engine, ZoneSet primaries, atoll.dns.zone.AnswerStyle style,
            List<InetAddress> listen)
            throws StartupException {
        Config config = devices.config();
        Map<Name, TsigKey> keys = new HashMap<>();
        for (String entry : config.get(TSIG_KEYS).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            TsigKey k;
            try {
                k = TsigKey.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new StartupException("bad TSIG key in configuration key 'tsig.keys': " + e.getMessage()
                        + " (expected algorithm:name:base64-secret)");
            }
            if (keys.put(k.name(), k) != null) {
                throw new StartupException("configuration key 'tsig.keys': key '" + k.name() + "' given twice");
            }
        }
        for (AclRule r : config.get(XFR_ALLOW)) {
            requireKey(keys, r.keyName(), "xfr.allow");
        }
        for (Peer p : config.get(NOTIFY)) {
            requireKey(keys, p.keyName(), "notify");
        }
        for (Peer p : config.get(SECONDARY)) {
            requireKey(keys, p.keyName(), "secondary");
            for (Zone z : primaries.zones()) {
                if (z.origin().equals(p.zone())) {
                    throw new StartupException("configuration key 'secondary': zone " + p.zone()
                            + " is also in 'zones' (a zone is either primary or secondary)");
                }
            }
        }
        if (config.get(SECONDARY).stream().map(Peer::zone).distinct().count() != config.get(SECONDARY).size()) {
            throw new StartupException("configuration key 'secondary': a zone is listed twice");
        }
        if (primaries.zones().isEmpty() && config.get(SECONDARY).isEmpty()) {
            throw new StartupException("configuration key 'zones' is empty and no 'secondary' zone is configured:"
                    + " nothing to serve");
        }
        UdpClient udp = null;
        if (!config.get(NOTIFY).isEmpty() || !config.get(SECONDARY).isEmpty()) {
            try {
                udp = new UdpClient(devices.network(), devices.clock(), listen);
            } catch (IOException e) {
                throw new StartupException("cannot bind the UDP port for NOTIFY and SOA queries: " + e.getMessage(), e);
            }
        }
        XfrService service = new XfrService(devices, engine, keys, List.copyOf(primaries.zones()), style, udp);
        for (SecondaryZone s : service.secondaries.values()) {
            s.start(); // loads the saved copy, if any, before the zone set is published
        }
        service.publish();
        engine.delegateTransfers();
        return service;
    }

    private static void requireKey(Map<Name, TsigKey> keys, Name name, String configKey) throws StartupException {
        if (name != null && !keys.containsKey(name)) {
            throw new StartupException("configuration key '" + configKey + "' names the TSIG key '" + name
                    + "', which is not in 'tsig.keys'");
        }
    }

    /** Serves the primaries and every secondary that has data; the others answer SERVFAIL. */
    private synchronized void publish() {
        List<Zone> all = new ArrayList<>(primaries);
        List<Name> unavailable = new ArrayList<>();
        for (SecondaryZone s : secondaries.values()) {
            Zone z = s.zone();
            if (z == null) {
                unavailable.add(s.origin());
            } else {
                all.add(z);
            }
        }
        ZoneSet set = new ZoneSet(all, style, unavailable);
        currentZones = set;
        engine.replaceZones(set);
    }

    /**
     * A reload swapped the primary zones: publish them, and NOTIFY the secondaries of every zone
     * whose serial grew (RFC 1996 §4: "whenever the master's zone changes").
     */
    void primariesReloaded(ZoneSet next) {
        Map<Name, Zone> old = new HashMap<>();
        synchronized (this) {
            for (Zone z : primaries) {
                old.put(z.origin(), z);
            }
            primaries = List.copyOf(next.zones());
        }
        publish();
        if (notifier == null) {
            return;
        }
        for (Zone z : next.zones()) {
            Zone before = old.get(z.origin());
            if (before == null || Serial.newer(serial(z), serial(before))) {
                notifier.zoneChanged(z);
            } else if (serial(z) != serial(before)) {
                LOG.log(Level.WARNING, "zone " + z.origin() + " reloaded with serial " + serial(z)
                        + ", not newer than " + serial(before) + ": secondaries are not notified");
            }
        }
    }

    private static long serial(Zone z) {
        return ((Rdata.SOA) z.soa().rdata()).serial();
    }

    /** RFC 1996 §3.10: a NOTIFY is taken from the zone's configured primary only. */
    private int onNotify(Name zone, InetAddress from, Name key) {
        SecondaryZone s = secondaries.get(zone);
        if (s == null) {
            // Not a secondary here: RFC 1996 §4.1 gives no RCODE; NOTAUTH, as BIND and Knot answer.
            return Rcode.NOTAUTH;
        }
        if (!s.primary().address().getAddress().equals(from)
                || (s.primary().keyName() != null && !s.primary().keyName().equals(key))) {
            LOG.log(Level.INFO, "NOTIFY for " + zone + " from " + from.getHostAddress() + " refused (not its primary"
                    + (s.primary().keyName() != null ? " signed with " + s.primary().keyName() : "") + ")");
            return Rcode.REFUSED;
        }
        s.notified();
        return Rcode.NOERROR;
    }

    private byte[] answerSigned(byte[] query, Transport transport, int limit) {
        byte[] out = new byte[Math.max(limit, 12)];
        int n = engine.respond(MemorySegment.ofArray(query), transport, MemorySegment.ofArray(out),
                new atoll.dns.wire.MessageWriter());
        return n < 0 ? null : java.util.Arrays.copyOf(out, n);
    }

    private long now() {
        return devices.clock().now().getEpochSecond();
    }

    /** A delegated UDP request; writes the answer into {@code out} and returns its length, or -1. */
    int respondUdp(MemorySegment query, TransportAddress source, MemorySegment out) {
        byte[] request = query.toArray(ValueLayout.JAVA_BYTE);
        InetAddress client = source.toInetSocketAddress().getAddress();
        Transfers.Reply reply = transfers.respond(request, Transport.UDP, client, now());
        if (reply instanceof Transfers.Single(byte[] m) && m.length <= out.byteSize()) {
            MemorySegment.copy(m, 0, out, ValueLayout.JAVA_BYTE, 0, m.length);
            return m.length;
        }
        return -1;
    }

    /** A delegated TCP request: writes every message of the answer, each with its length prefix. */
    void respondTcp(MemorySegment query, TcpFlow flow, PooledBuffer out) throws IOException {
        byte[] request = query.toArray(ValueLayout.JAVA_BYTE);
        Transfers.Reply reply = transfers.respond(request, Transport.TCP, flow.remoteAddress().getAddress(), now());
        switch (reply) {
            case Transfers.None _ -> { }
            case Transfers.Single(byte[] m) -> send(flow, out, m);
            case Transfers.Stream(var messages) -> {
                try (messages) {
                    while (messages.hasNext()) {
                        send(flow, out, messages.next(now()));
                    }
                }
            }
        }
    }

    private static void send(TcpFlow flow, PooledBuffer out, byte[] message) throws IOException {
        out.clear();
        out.putU16(message.length);
        out.put(message, 0, message.length);
        flow.write(out);
    }

    void stop() {
        for (SecondaryZone s : secondaries.values()) {
            s.stop();
        }
        if (udp != null) {
            udp.close();
        }
    }
}
