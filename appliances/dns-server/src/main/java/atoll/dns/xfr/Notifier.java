package atoll.dns.xfr;

import atoll.dns.tsig.Tsig;
import atoll.dns.tsig.TsigKey;
import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Name;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import atoll.dns.zone.Zone;
import atoll.libos.entropy.Entropy;
import atoll.libos.metrics.Metrics;
import atoll.libos.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * NOTIFY out (RFC 1996): when a zone changes, tells each secondary configured for it, over UDP,
 * retrying until it answers. Each NOTIFY runs on its own virtual thread; waits are bounded.
 */
public final class Notifier {
    private static final System.Logger LOG = System.getLogger("dns-server");
    /**
     * RFC 1996 §3.6: retransmit "until a response is received" or a maximum; the interval
     * "SHOULD be ... the period that would be expected for ... a query". Five tries, 2 s doubling.
     */
    static final int ATTEMPTS = 5;
    static final Duration FIRST_TIMEOUT = Duration.ofSeconds(2);

    private final List<Peer> secondaries;
    private final Map<Name, TsigKey> keys;
    private final UdpClient udp;
    private final Clock clock;
    private final Entropy entropy;
    private final Metrics.Counter sent;
    private final Metrics.Counter acknowledged;
    private final Metrics.Counter failed;

    public Notifier(List<Peer> secondaries, Map<Name, TsigKey> keys, UdpClient udp, Clock clock, Entropy entropy,
            Metrics metrics) {
        this.secondaries = List.copyOf(secondaries);
        this.keys = Map.copyOf(keys);
        this.udp = udp;
        this.clock = clock;
        this.entropy = entropy;
        this.sent = metrics.counter("dns.notify.sent");
        this.acknowledged = metrics.counter("dns.notify.acknowledged");
        this.failed = metrics.counter("dns.notify.failed");
    }

    /** Sends NOTIFY for {@code zone} to every secondary configured for it (returns at once). */
    public void zoneChanged(Zone zone) {
        for (Peer p : secondaries) {
            if (p.zone().equals(zone.origin())) {
                Thread.ofVirtual().name("notify " + zone.origin() + " " + p.where()).start(() -> send(zone, p));
            }
        }
    }

    /** The NOTIFY request (RFC 1996 §3.7): AA set, the zone's SOA as the question, and in the answer. */
    static byte[] request(Zone zone, int id) {
        Header h = new Header(id, false, Opcode.NOTIFY, true, false, false, false, false, false, Rcode.NOERROR);
        // RFC 1996 §3.7: "the SOA ... MAY be present in the answer section" - it lets the
        // secondary skip its SOA query when the serial is not newer.
        return MessageWriter.toBytes(new Message(h, List.of(new Question(zone.origin(), RRType.SOA, RRClass.IN)),
                List.of(zone.soa()), List.of(), List.of(), null));
    }

    private void send(Zone zone, Peer peer) {
        TsigKey key = peer.keyName() == null ? null : keys.get(peer.keyName());
        long serial = ((Rdata.SOA) zone.soa().rdata()).serial();
        Duration timeout = FIRST_TIMEOUT;
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                int id = entropy.nextInt(0x10000);
                byte[] message = request(zone, id);
                byte[] mac = null;
                long now = clock.now().getEpochSecond();
                if (key != null) {
                    Tsig.Signed s = Tsig.sign(message, key, null, now, Tsig.DEFAULT_FUDGE, 0, new byte[0]);
                    message = s.message();
                    mac = s.mac();
                }
                sent.increment();
                byte[] reply = udp.exchange(message, peer.address(), timeout);
                if (reply != null) {
                    String problem = check(reply, key, mac);
                    if (problem == null) {
                        acknowledged.increment();
                        LOG.log(Level.INFO, "NOTIFY " + zone.origin() + " serial " + serial + " acknowledged by "
                                + peer.where());
                        return;
                    }
                    LOG.log(Level.WARNING, "NOTIFY " + zone.origin() + " to " + peer.where() + ": " + problem);
                }
                timeout = timeout.multipliedBy(2);
            }
            failed.increment();
            LOG.log(Level.WARNING, "NOTIFY " + zone.origin() + " serial " + serial + " to " + peer.where()
                    + ": no answer after " + ATTEMPTS + " tries");
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The server stopping under this thread (its UDP endpoint closed): nothing to retry.
            failed.increment();
            LOG.log(Level.DEBUG, "NOTIFY " + zone.origin() + " to " + peer.where() + " abandoned: " + e);
        }
    }

    /** Null if {@code reply} acknowledges the NOTIFY, else what is wrong with it. */
    private String check(byte[] reply, TsigKey key, byte[] requestMac) {
        if (key != null) {
            Tsig.Verification v = Tsig.verify(reply, Map.of(key.name(), key), clock.now().getEpochSecond(), requestMac);
            if (!(v instanceof Tsig.Valid)) {
                return "answer not signed with " + key.name() + " (" + v + ")";
            }
        }
        int rcode = reply.length >= 4 ? reply[3] & 0x0f : -1;
        // RFC 1996 §4.7: the secondary's response has the same ID, QR set, and NOERROR.
        return rcode == Rcode.NOERROR ? null : "answered " + Rcode.name(rcode);
    }
}
