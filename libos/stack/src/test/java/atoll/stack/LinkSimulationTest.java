package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.libos.metrics.SimpleMetrics;
import atoll.stack.ip.IpConfig;
import atoll.stack.wire.MacAddress;
import atoll.testkit.FakeClock;
import atoll.testkit.Link;
import atoll.testkit.PcapWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two interfaces on the testkit's in-memory {@link Link} with seeded loss, corruption, duplication
 * and reordering, driven by its {@link FakeClock}: fragmented UDP datagrams that arrive arrive
 * bit-exact, damaged ones are dropped and counted, ARP retries through the loss, and at the end
 * every buffer is back in the pool. The capture is left in {@code target/stack-simulation.pcap}.
 */
class LinkSimulationTest {
    static final int DATAGRAMS = 300;

    @Test
    void fragmentedUdpOverAnImpairedLink() throws Exception {
        FakeClock clock = new FakeClock();
        Path capture = Path.of("target", "stack-simulation.pcap");
        Files.createDirectories(capture.getParent());
        try (BufferPool pool = new BufferPool(8192, 128, 2048);
                PcapWriter pcap = PcapWriter.create(capture, PcapWriter.Resolution.MICROSECONDS)) {
            SimpleMetrics ma = new SimpleMetrics();
            SimpleMetrics mb = new SimpleMetrics();
            EthernetInterface[] nics = new EthernetInterface[2];
            Link link = Link.builder(clock, pool, Entropies.seeded(42))
                    .loss(0.02).corruption(0.01).duplication(0.02)
                    .reordering(0.05, Duration.ofMillis(3)).delay(Duration.ofMillis(1))
                    .pcap(pcap).build();
            Link.Port[] ports = new Link.Port[2];
            ports[0] = link.attach("a", (port, frame) -> nics[0].receiveFrame(frame, clock.nanoTime()));
            ports[1] = link.attach("b", (port, frame) -> nics[1].receiveFrame(frame, clock.nanoTime()));
            nics[0] = new EthernetInterface(IpConfig.parse(MacAddress.parse("02:00:00:00:00:0a"), "192.0.2.10/24",
                    null, 1500), pool, ports[0]::send, Entropies.seeded(1), ma);
            nics[1] = new EthernetInterface(IpConfig.parse(MacAddress.parse("02:00:00:00:00:0b"), "192.0.2.11/24",
                    null, 1500), pool, ports[1]::send, Entropies.seeded(2), mb);
            Map<Integer, byte[]> sent = new HashMap<>();
            Map<Integer, Integer> received = new HashMap<>();
            nics[1].udp().bind(9000, (payload, src, sport, dst, dport, now) -> {
                byte[] got = payload.toByteArray();
                payload.release();
                int seq = java.nio.ByteBuffer.wrap(got).getInt();
                assertArrayEquals(sent.get(seq), got, "datagram " + seq);
                received.merge(seq, 1, Integer::sum);
            });
            Random r = new Random(768);
            int bIp = nics[1].config().address().bits();
            for (int seq = 0; seq < DATAGRAMS; seq++) {
                byte[] data = new byte[4 + r.nextInt(4000)];
                r.nextBytes(data);
                java.nio.ByteBuffer.wrap(data).putInt(seq);
                sent.put(seq, data);
                PooledBuffer b = pool.acquire();
                b.put(data, 0, data.length);
                nics[0].udp().send(40000, bIp, 9000, b, clock.nanoTime());
                step(clock, nics, Duration.ofMillis(2));
            }
            // Let ARP retries, reordering and the reassembly timeout play out.
            for (int i = 0; i < 100; i++) {
                step(clock, nics, Duration.ofSeconds(1));
            }
            Link.Stats stats = link.stats();
            assertTrue(stats.lost() > 0 && stats.corrupted() > 0 && stats.duplicated() > 0, stats.toString());
            assertTrue(received.size() > DATAGRAMS / 2, received.size() + " of " + DATAGRAMS + " arrived; " + stats);
            long damaged = mb.snapshot().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("bad_checksum") || e.getKey().endsWith("malformed")
                            || e.getKey().equals("ip.reassembly.overlap"))
                    .mapToLong(Map.Entry::getValue).sum()
                    + mb.snapshot().get("eth.rx.not_for_us") + mb.snapshot().get("eth.rx.unknown_type")
                    + mb.snapshot().get("ip.rx.not_for_us") + mb.snapshot().get("ip.rx.bad_source");
            assertTrue(damaged > 0, "corrupted frames were caught and counted: " + mb.snapshot());
            System.out.printf("simulation: %d of %d datagrams arrived bit-exact (%d deliveries), link %s%n",
                    received.size(), DATAGRAMS, received.values().stream().mapToInt(Integer::intValue).sum(), stats);
            nics[0].close();
            nics[1].close();
            link.close();
            assertEquals(0, nics[1].ip().reassembling());
            pool.assertNoLeaks();
        }
    }

    private static void step(FakeClock clock, EthernetInterface[] nics, Duration d) {
        clock.advance(d);
        for (EthernetInterface n : nics) {
            n.poll(clock.nanoTime());
        }
    }
}
