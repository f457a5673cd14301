package atoll.dns.xfr;

import atoll.dns.tsig.Tsig;
import atoll.dns.tsig.TsigKey;
import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.zone.Zone;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.store.ReadWriteStore;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One secondary zone (RFC 1034 §4.3.5, RFC 1996): fetched from its primary by AXFR at start, then
 * kept fresh by the SOA timers — every REFRESH seconds the primary's SOA serial is asked over UDP
 * and, when newer (RFC 1982), the zone is transferred again over TCP; after a failure it tries
 * again every RETRY seconds; EXPIRE seconds after the last successful refresh the zone stops
 * being served (SERVFAIL) until a transfer succeeds. A NOTIFY from the primary starts a refresh at
 * once. Each transfer is kept in the read-write store, so a restart serves it at once.
 *
 * <p>The zone's work runs on one virtual thread, woken by timers from the injected clock and by
 * NOTIFY; every network wait is bounded. A broken or hostile transfer leaves the old data in
 * service.
 */
public final class SecondaryZone {
    private static final System.Logger LOG = System.getLogger("dns-server");
    /** Before the first transfer there is no SOA to take RETRY from: try again this often. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    /** RFC 1035 §4.2.1-style retransmission of the SOA query: 3 tries, 2 s each. */
    static final int SOA_TRIES = 3;
    static final Duration SOA_TIMEOUT = Duration.ofSeconds(2);
    /** Bounds on the transfer connection: no message for 30 s, a message not complete in 30 s. */
    static final FlowDeadlines TRANSFER_DEADLINES = new FlowDeadlines(Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(10));

    private enum Event { REFRESH, NOTIFY, EXPIRE, STOP }

    private final Peer primary;
    private final TsigKey key;
    private final NetworkStack net;
    private final UdpClient udp;
    private final Clock clock;
    private final Entropy entropy;
    private final ReadWriteStore state;
    private final Consumer<SecondaryZone> changed;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Metrics.Counter transfersIn;
    private final Metrics.Counter failures;
    private volatile Zone zone;
    private volatile long refreshedMillis;
    private Timer refreshTimer;
    private Timer expireTimer;
    private Thread thread;

    /**
     * @param changed called (on this zone's thread) whenever the zone served changes: a new
     *     transfer, or expiry
     */
    public SecondaryZone(Peer primary, TsigKey key, NetworkStack net, UdpClient udp, Clock clock, Entropy entropy,
            ReadWriteStore state, Metrics metrics, Consumer<SecondaryZone> changed) {
        this.primary = primary;
        this.key = key;
        this.net = net;
        this.udp = udp;
        this.clock = clock;
        this.entropy = entropy;
        this.state = state;
        this.changed = changed;
        this.transfersIn = metrics.counter("dns.xfr.in");
        this.failures = metrics.counter("dns.xfr.in.failed");
    }

    public atoll.dns.wire.Name origin() {
        return primary.zone();
    }

    public Peer primary() {
        return primary;
    }

    /** The zone to serve, or null (before the first transfer, or expired). */
    public Zone zone() {
        return zone;
    }

    /** The store key of the saved copy. */
    String storeKey() {
        String o = origin().toString();
        return "secondary/" + (o.equals(".") ? "root" : o.substring(0, o.length() - 1)) + ".axfr";
    }

    /**
     * Loads the saved copy, if any and not expired (a damaged one is logged and ignored), then
     * starts the refresh cycle with an immediate refresh.
     */
    public void start() {
        try {
            if (state.exists(storeKey())) {
                ZoneSnapshot.Saved saved = ZoneSnapshot.decode(origin(), state.read(storeKey()), state.describe(storeKey()));
                long expireMillis = soa(saved.zone()).expire() * 1000;
                long age = clock.now().toEpochMilli() - saved.refreshedMillis();
                if (age < expireMillis) {
                    zone = saved.zone();
                    refreshedMillis = saved.refreshedMillis();
                    expireTimer = clock.schedule(Duration.ofMillis(expireMillis - Math.max(0, age)),
                            () -> events.offer(Event.EXPIRE));
                    LOG.log(Level.INFO, "secondary zone " + origin() + ": serving the saved copy, serial "
                            + soa(zone).serial() + ", until its primary " + primary.where() + " answers");
                } else {
                    LOG.log(Level.WARNING, "secondary zone " + origin() + ": the saved copy has expired");
                }
            }
        } catch (IOException | TransferReader.TransferException e) {
            LOG.log(Level.WARNING, "secondary zone " + origin() + ": ignoring the saved copy: " + e.getMessage());
        }
        events.offer(Event.REFRESH);
        thread = Thread.ofVirtual().name("secondary " + origin()).start(this::run);
    }

    /** A NOTIFY from the primary (RFC 1996 §3.11): refresh now. */
    public void notified() {
        events.offer(Event.NOTIFY);
    }

    public void stop() {
        events.offer(Event.STOP);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                Event e = events.take();
                switch (e) {
                    case STOP -> {
                        return;
                    }
                    case EXPIRE -> expireIfDue();
                    case REFRESH, NOTIFY -> refresh();
                }
            }
        } catch (InterruptedException stopped) {
            // stop()
        } finally {
            cancel(refreshTimer);
            cancel(expireTimer);
        }
    }

    private void refresh() throws InterruptedException {
        events.remove(Event.REFRESH);
        events.remove(Event.NOTIFY);
        cancel(refreshTimer);
        Zone current = zone;
        try {
            long serial = primarySerial();
            if (current == null || Serial.newer(serial, soa(current).serial())) {
                Zone fresh = transfer(current);
                install(fresh);
            } else {
                // RFC 1034 §4.3.5: the serial did not change; the zone is fresh again.
                refreshedMillis = clock.now().toEpochMilli();
                save(current);
                LOG.log(Level.DEBUG, "secondary zone " + origin() + ": serial " + serial + " unchanged");
            }
            scheduleExpire();
            refreshTimer = clock.schedule(Duration.ofSeconds(soa(zone).refresh()), () -> events.offer(Event.REFRESH));
        } catch (IOException | TransferReader.TransferException e) {
            failures.increment();
            Duration retry = current == null ? FIRST_RETRY : Duration.ofSeconds(soa(current).retry());
            LOG.log(Level.WARNING, "secondary zone " + origin() + ": refresh from " + primary.where() + " failed ("
                    + e.getMessage() + "); retrying in " + retry.toSeconds() + "s"
                    + (current == null ? "" : ", still serving serial " + soa(current).serial()));
            refreshTimer = clock.schedule(retry, () -> events.offer(Event.REFRESH));
        }
    }

    private void install(Zone fresh) {
        zone = fresh;
        refreshedMillis = clock.now().toEpochMilli();
        transfersIn.increment();
        LOG.log(Level.INFO, "secondary zone " + origin() + ": transferred from " + primary.where() + ", "
                + fresh.recordCount() + " records, serial " + soa(fresh).serial());
        save(fresh);
        changed.accept(this);
    }

    private void save(Zone z) {
        try {
            state.write(storeKey(), ZoneSnapshot.encode(z, refreshedMillis));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "secondary zone " + origin() + ": cannot save it in " + state.describe(storeKey())
                    + ": " + e.getMessage());
        }
    }

    private void scheduleExpire() {
        cancel(expireTimer);
        expireTimer = clock.schedule(Duration.ofSeconds(soa(zone).expire()), () -> events.offer(Event.EXPIRE));
    }

    private void expireIfDue() {
        Zone z = zone;
        if (z == null) {
            return;
        }
        long dueMillis = refreshedMillis + soa(z).expire() * 1000;
        if (clock.now().toEpochMilli() >= dueMillis) {
            // RFC 1035 §4.3.5: "...the secondary ... stops giving out answers" after EXPIRE.
            zone = null;
            LOG.log(Level.WARNING, "secondary zone " + origin() + ": expired (no refresh from " + primary.where()
                    + " for " + soa(z).expire() + "s); answering SERVFAIL");
            changed.accept(this);
        }
    }

    /** The primary's SOA serial, asked over UDP (RFC 1034 §4.3.5), signed when a key is set. */
    private long primarySerial() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < SOA_TRIES; attempt++) {
            int id = entropy.nextInt(0x10000);
            Header h = Header.query(id, Opcode.QUERY, false);
            byte[] q = MessageWriter.toBytes(Message.query(h, new Question(origin(), RRType.SOA, RRClass.IN), null));
            byte[] mac = null;
            if (key != null) {
                Tsig.Signed s = Tsig.sign(q, key, null, clock.now().getEpochSecond(), Tsig.DEFAULT_FUDGE, 0, new byte[0]);
                q = s.message();
                mac = s.mac();
            }
            byte[] reply = udp.exchange(q, primary.address(), SOA_TIMEOUT);
            if (reply == null) {
                continue;
            }
            if (key != null && !(Tsig.verify(reply, Map.of(key.name(), key), clock.now().getEpochSecond(), mac)
                    instanceof Tsig.Valid)) {
                throw new IOException("the SOA answer is not signed with " + key.name());
            }
            try {
                Message m = MessageReader.parse(reply);
                if (m.rcode() != Rcode.NOERROR) {
                    throw new IOException("the SOA query was answered " + Rcode.name(m.rcode()));
                }
                for (ResourceRecord rr : m.answers()) {
                    if (rr.rdata() instanceof Rdata.SOA s && rr.name().equals(origin())) {
                        return s.serial();
                    }
                }
                throw new IOException("no SOA in the answer");
            } catch (DnsFormatException e) {
                throw new IOException("malformed SOA answer: " + e.getMessage());
            }
        }
        throw new IOException("no answer to " + SOA_TRIES + " SOA queries");
    }

    /** What reads the messages of a transfer: true once it is complete. */
    @FunctionalInterface
    private interface Stream {
        boolean accept(byte[] message, long now) throws TransferReader.TransferException;
    }

    /** A signed (when a key is set) query for {@code type}, and its MAC; {@code authority} may be empty. */
    private record Query(int id, byte[] wire, byte[] mac) {}

    private Query query(int type, List<ResourceRecord> authority) {
        int id = entropy.nextInt(0x10000);
        Header h = Header.query(id, Opcode.QUERY, false);
        byte[] q = MessageWriter.toBytes(new Message(h, List.of(new Question(origin(), type, RRClass.IN)), List.of(),
                authority, List.of(), null));
        if (key == null) {
            return new Query(id, q, null);
        }
        Tsig.Signed s = Tsig.sign(q, key, null, clock.now().getEpochSecond(), Tsig.DEFAULT_FUDGE, 0, new byte[0]);
        return new Query(id, s.message(), s.mac());
    }

    /**
     * The newer zone: by IXFR (RFC 1995 §4) when this server holds a version, else, or when the
     * IXFR fails, by AXFR (RFC 5936 §4.1); over TCP, signed when a key is set.
     */
    private Zone transfer(Zone current) throws IOException, TransferReader.TransferException {
        if (current != null) {
            // RFC 1995 §3: the IXFR query carries the client's SOA in the authority section.
            Query q = query(RRType.IXFR, List.of(current.soa()));
            IxfrReader reader = new IxfrReader(current, q.id(), key, q.mac());
            try {
                exchange(q.wire(), reader::accept);
                Zone z = reader.zone(primary.where() + " IXFR");
                LOG.log(Level.INFO, "secondary zone " + origin() + ": IXFR from " + primary.where() + " "
                        + (reader.incremental() ? "incremental, " + reader.changes() + " records changed" : "sent the whole zone"));
                return z;
            } catch (IOException | TransferReader.TransferException e) {
                LOG.log(Level.INFO, "secondary zone " + origin() + ": IXFR from " + primary.where() + " failed ("
                        + e.getMessage() + "); falling back to AXFR");
            }
        }
        Query q = query(RRType.AXFR, List.of());
        TransferReader reader = new TransferReader(origin(), q.id(), key, q.mac());
        exchange(q.wire(), reader::accept);
        return reader.zone(primary.where() + " AXFR");
    }

    /** Sends {@code query} over a new TCP connection and feeds every message of the answer to {@code stream}. */
    private void exchange(byte[] query, Stream stream) throws IOException, TransferReader.TransferException {
        try (TcpFlow flow = net.connectTcp(primary.address())) {
            flow.deadlines(TRANSFER_DEADLINES);
            try (PooledBuffer out = flow.acquireBuffer()) {
                out.putU16(query.length);
                out.put(query, 0, query.length);
                flow.write(out);
            }
            PooledBuffer in = flow.acquireBuffer();
            try {
                in.window(0, 0);
                while (true) {
                    fill(flow, in, 2);
                    int length = in.getU16(0);
                    if (2 + length > in.capacity()) {
                        throw new IOException("a message of " + length + " octets does not fit a buffer");
                    }
                    fill(flow, in, 2 + length);
                    byte[] message = new byte[length];
                    java.lang.foreign.MemorySegment.copy(in.memory(), java.lang.foreign.ValueLayout.JAVA_BYTE,
                            in.start() + 2, message, 0, length);
                    in.consume(2 + length);
                    int rest = in.length();
                    java.lang.foreign.MemorySegment.copy(in.memory(), in.start(), in.memory(), 0, rest);
                    in.window(0, rest);
                    flow.unitComplete(rest > 0);
                    if (stream.accept(message, clock.now().getEpochSecond())) {
                        return;
                    }
                }
            } finally {
                in.release();
            }
        }
    }

    private static void fill(TcpFlow flow, PooledBuffer in, int n) throws IOException {
        while (in.length() < n) {
            if (flow.read(in) < 0) {
                throw new IOException("the primary closed the connection mid-transfer");
            }
        }
    }

    private static Rdata.SOA soa(Zone z) {
        return (Rdata.SOA) z.soa().rdata();
    }

    private static void cancel(Timer t) {
        if (t != null) {
            t.cancel();
        }
    }
}
