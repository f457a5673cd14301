package atoll.stack;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.libos.metrics.SimpleMetrics;
import atoll.stack.arp.ArpLimits;
import atoll.stack.ip.IpConfig;
import atoll.stack.ip.ReassemblyLimits;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Test fixture: one {@link EthernetInterface} on a fake clock (a plain {@code now} the test
 * advances), seeded entropy, and a sink that keeps sent frames as byte arrays (releasing their
 * buffers at once, so leak checks stay exact).
 */
final class Host implements AutoCloseable {
    final BufferPool pool;
    final SimpleMetrics metrics = new SimpleMetrics();
    final ArrayDeque<byte[]> sent = new ArrayDeque<>();
    final EthernetInterface nic;
    long now = 1_000_000_000L; // the fake clock, monotonic nanoseconds

    Host(IpConfig config) {
        this(config, new BufferPool(2048, 128, 512), ArpLimits.defaults(), ReassemblyLimits.defaults());
    }

    Host(IpConfig config, BufferPool pool, ArpLimits arp, ReassemblyLimits reassembly) {
        this.pool = pool;
        this.nic = new EthernetInterface(config, pool, frame -> {
            sent.add(frame.toByteArray());
            frame.release();
        }, Entropies.seeded(7), metrics, arp, reassembly);
    }

    static IpConfig config(String mac, String cidr, String gateway) {
        return IpConfig.parse(atoll.stack.wire.MacAddress.parse(mac), cidr, gateway, IpConfig.ETHERNET_MTU);
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    /** Feeds a frame as the device would: copied into a pooled buffer. */
    void receive(byte[] frame) {
        PooledBuffer b = pool.acquire();
        b.put(frame, 0, frame.length);
        nic.receiveFrame(b, now);
    }

    long poll() {
        return nic.poll(now);
    }

    byte[] next() {
        byte[] f = sent.poll();
        if (f == null) {
            throw new AssertionError("no frame was sent");
        }
        return f;
    }

    long count(String counter) {
        return metrics.snapshot().getOrDefault(counter, 0L);
    }

    PooledBuffer payload(byte[] bytes) {
        PooledBuffer b = pool.acquire();
        b.put(bytes, 0, bytes.length);
        return b;
    }

    static byte[] slice(byte[] b, int from) {
        return java.lang.foreign.MemorySegment.ofArray(b).asSlice(from).toArray(ValueLayout.JAVA_BYTE);
    }

    static Optional<String> none() {
        return Optional.empty();
    }

    @Override
    public void close() {
        nic.close();
        pool.assertNoLeaks();
        pool.close();
    }
}
