package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.libos.metrics.SimpleMetrics;
import atoll.stack.ip.IpConfig;
import atoll.stack.link.FrameSink;
import atoll.stack.wire.MacAddress;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Two interfaces joined back to back (a frame one sends is the frame the other receives, the same
 * pooled buffer): a UDP request from A to B and B's reply, in steady state, allocate nothing on
 * the heap — not in Ethernet, ARP (resolved), IPv4, UDP or the checksums. Counted with HotSpot's
 * per-thread allocation counter, so this asserts allocation, not time.
 */
class SteadyStateAllocationTest {
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 50_000;
    /** Tolerance per round trip for the JIT's occasional deoptimisation bookkeeping. */
    private static final double BOUND_BYTES_PER_ROUND_TRIP = 1;

    static final class Wire implements FrameSink {
        EthernetInterface to;
        long now;

        @Override
        public void send(PooledBuffer frame) {
            // The receiver sees the frame as a device read would deliver it: window at Ethernet.
            frame.forgetHeaders();
            to.receiveFrame(frame, now);
        }
    }

    @Test
    void udpRoundTripAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        try (BufferPool pool = new BufferPool(2048, 128, 64)) {
            Wire ab = new Wire();
            Wire ba = new Wire();
            EthernetInterface a = new EthernetInterface(IpConfig.parse(MacAddress.parse("02:00:00:00:00:0a"),
                    "192.0.2.10/24", null, 1500), pool, ab, Entropies.seeded(1), new SimpleMetrics());
            EthernetInterface b = new EthernetInterface(IpConfig.parse(MacAddress.parse("02:00:00:00:00:0b"),
                    "192.0.2.11/24", null, 1500), pool, ba, Entropies.seeded(2), new SimpleMetrics());
            ab.to = b;
            ba.to = a;
            long[] replies = new long[1];
            int aIp = a.config().address().bits();
            int bIp = b.config().address().bits();
            b.udp().bind(53, (payload, src, sport, dst, dport, now) -> {
                PooledBuffer reply = pool.acquire();
                int n = payload.length();
                java.lang.foreign.MemorySegment.copy(payload.memory(), payload.start(), reply.memory(), reply.end(), n);
                reply.window(reply.start(), reply.end() + n);
                payload.release();
                b.udp().send(53, src, sport, reply, now);
            });
            a.udp().bind(40000, (payload, src, sport, dst, dport, now) -> {
                replies[0]++;
                payload.release();
            });
            Runnable roundTrip = () -> {
                PooledBuffer q = pool.acquire();
                q.putI32(0x12345678);
                q.putI32(0x9abcdef0);
                a.udp().send(40000, bIp, 53, q, 0);
            };
            for (int i = 0; i < WARM_UP; i++) {
                roundTrip.run();
            }
            long id = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < MEASURED; i++) {
                roundTrip.run();
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertEquals(WARM_UP + MEASURED, replies[0]);
            double perRoundTrip = allocated / (double) MEASURED;
            System.out.printf("UDP round trip through two EthernetInterfaces: %d bytes allocated for %d round"
                    + " trips, %.3f bytes each%n", allocated, MEASURED, perRoundTrip);
            assertTrue(perRoundTrip < BOUND_BYTES_PER_ROUND_TRIP, perRoundTrip + " bytes per round trip");
            a.close();
            b.close();
            pool.assertNoLeaks();
            assertTrue(aIp != 0);
        }
    }
}
