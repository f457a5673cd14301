package atoll.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.libos.metrics.SimpleMetrics;
import atoll.stack.EthernetInterface;
import atoll.stack.arp.ArpLimits;
import atoll.stack.ip.IpConfig;
import atoll.stack.ip.ReassemblyLimits;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import atoll.testkit.FakeClock;
import atoll.testkit.Link;
import atoll.testkit.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole direct stack end to end: two hosts (Ethernet, ARP, IPv4 and TCP engines) on the
 * testkit's in-memory {@link Link} with seeded 5 % loss, 5 % reordering, 1 % duplication and
 * 1 % corruption of frames, exchanging 100 MB in each direction at once; each side's SHA-256 of
 * what it read must equal the digest of what the other wrote, and every buffer must be back.
 * Set {@code -Datoll.tcp.pcap=<file>} to keep a capture (it is large).
 */
class TcpOverLinkTest {
    static final long MB = 1_000_000L;

    /** One host: an interface on a link port, TCP on its IPv4 engine. */
    static final class Node {
        final EthernetInterface nic;
        final TcpOverIpv4 tcp;
        final Ipv4Address address;
        Link.Port port;

        Node(Link link, String name, String mac, String cidr, BufferPool pool, FakeClock clock, long seed) {
            IpConfig config = IpConfig.parse(MacAddress.parse(mac), cidr, null, IpConfig.ETHERNET_MTU);
            address = config.address();
            nic = new EthernetInterface(config, pool, frame -> port.send(frame), Entropies.seeded(seed),
                    new SimpleMetrics(), ArpLimits.defaults(), ReassemblyLimits.defaults());
            tcp = new TcpOverIpv4(nic.ip(), TcpConfig.defaults(), pool, Entropies.seeded(seed + 1));
            port = link.attach(name, (p, frame) -> {
                // As a device read: the frame lands in a buffer of the receiver's own.
                PooledBuffer mine = pool.tryAcquire();
                if (mine != null) {
                    MemorySegment.copy(frame.memory(), frame.start(), mine.memory(), mine.start(), frame.length());
                    mine.append(frame.length());
                    nic.receiveFrame(mine, clock.nanoTime());
                }
                frame.release();
            });
        }
    }

    @Test
    void hundredMegabytesEachWayOverAnImpairedLink() throws Exception {
        long bytes = 100 * MB;
        String pcapPath = System.getProperty("atoll.tcp.pcap");
        try (BufferPool pool = new BufferPool(2048, 128, 32768);
                PcapWriter pcap = pcapPath == null ? null : PcapWriter.create(Path.of(pcapPath),
                        PcapWriter.Resolution.MICROSECONDS)) {
            FakeClock clock = new FakeClock();
            Link.Builder builder = Link.builder(clock, pool, Entropies.seeded(7)).delay(Duration.ofMillis(1))
                    .loss(0.05).reordering(0.05, Duration.ofMillis(3)).duplication(0.01).corruption(0.01);
            if (pcap != null) {
                builder.pcap(pcap);
            }
            try (Link link = builder.build()) {
                Node a = new Node(link, "a", "02:00:00:00:00:0a", "192.0.2.10/24", pool, clock, 1);
                Node b = new Node(link, "b", "02:00:00:00:00:0b", "192.0.2.11/24", pool, clock, 3);
                BulkTransferTest.Peer server = new BulkTransferTest.Peer(bytes, 11);
                BulkTransferTest.Peer client = new BulkTransferTest.Peer(bytes, 22);
                b.tcp.tcp().listen(0, 5001, c -> server);
                long now = clock.nanoTime();
                a.nic.start(now);
                b.nic.start(now);
                a.tcp.tcp().connect(now, a.address.bits(), 0, b.address.bits(), 5001, client);
                long steps = 0;
                while (!(client.done() && server.done() && a.tcp.tcp().connectionCount() == 0
                        && b.tcp.tcp().connectionCount() == 0)) {
                    long linkNext = clock.nextDeadline() < 0 ? Long.MAX_VALUE : clock.nextDeadline();
                    long next = Math.min(Math.min(linkNext, Math.min(a.nic.poll(now), b.nic.poll(now))),
                            Math.min(a.tcp.tcp().nextDeadline(), b.tcp.tcp().nextDeadline()));
                    assertTrue(next != Long.MAX_VALUE, "stalled: client " + client + ", server " + server);
                    clock.advance(Duration.ofNanos(Math.max(0, next - now)));
                    now = clock.nanoTime();
                    a.tcp.tcp().onTimer(now);
                    b.tcp.tcp().onTimer(now);
                    a.tcp.tcp().setTime(now);
                    b.tcp.tcp().setTime(now);
                    client.pump();
                    server.pump();
                    assertTrue(++steps < 100_000_000L, "too many steps");
                }
                assertEquals(CloseReason.NORMAL, client.closeReason);
                assertEquals(CloseReason.NORMAL, server.closeReason);
                assertEquals(bytes, client.received);
                assertEquals(bytes, server.received);
                assertArrayEquals(server.sentDigest(), client.receivedDigest(), "server -> client stream");
                assertArrayEquals(client.sentDigest(), server.receivedDigest(), "client -> server stream");
                TcpCounters ca = a.tcp.tcp().counters();
                TcpCounters cb = b.tcp.tcp().counters();
                assertEquals(0, ca.internalErrors() + cb.internalErrors());
                assertTrue(ca.badChecksum() + cb.badChecksum() > 0, "corrupted TCP segments were caught");
                Link.Stats st = link.stats();
                System.out.printf("full stack, 100 MB each way: %s; TCP retransmissions %d/%d, timeouts %d/%d, "
                        + "bad checksums %d/%d; simulated %.1f s%n", st, ca.retransmissions(), cb.retransmissions(),
                        ca.timeouts(), cb.timeouts(), ca.badChecksum(), cb.badChecksum(), now / 1e9);
                a.nic.close();
                b.nic.close();
            }
            pool.assertNoLeaks();
        } catch (IOException e) {
            throw new AssertionError("pcap", e);
        }
    }
}
