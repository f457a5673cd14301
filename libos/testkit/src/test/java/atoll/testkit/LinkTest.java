package atoll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The link's impairments: each one visible in what arrives, each one the same for the same seed
 * and different for another, and no pooled buffer left out at the end of any run.
 */
class LinkTest {
    private static final int FRAMES = 2000;
    private static final int FRAME_LENGTH = 64;
    private static final Duration GAP = Duration.ofNanos(10_000);

    /** One delivery: when, where, and the frame's bytes. */
    record Arrival(long nanos, String port, byte[] bytes) {
        int index() {
            return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Arrival a && a.nanos == nanos && a.port.equals(port) && Arrays.equals(a.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(nanos) * 31 + Arrays.hashCode(bytes);
        }
    }

    record Run(List<Arrival> arrivals, Link.Stats stats) {}

    static byte[] frame(int index) {
        byte[] b = new byte[FRAME_LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (index * 7 + i);
        }
        b[0] = (byte) (index >>> 24);
        b[1] = (byte) (index >>> 16);
        b[2] = (byte) (index >>> 8);
        b[3] = (byte) index;
        return b;
    }

    /** Sends FRAMES frames from a to b, one every GAP, runs the clock dry, checks for leaks. */
    static Run run(long seed, UnaryOperator<Link.Builder> settings) {
        BufferPool pool = new BufferPool(256, 0, 4096);
        FakeClock clock = new FakeClock();
        Link link = settings.apply(Link.builder(clock, pool, Entropies.seeded(seed))).build();
        List<Arrival> arrivals = new ArrayList<>();
        Link.Port a = link.attach("a", (port, f) -> f.release());
        link.attach("b", (port, f) -> {
            arrivals.add(new Arrival(clock.nanoTime(), port.name(), f.toByteArray()));
            f.release();
        });
        for (int i = 0; i < FRAMES; i++) {
            PooledBuffer f = pool.acquire();
            byte[] bytes = frame(i);
            f.put(bytes, 0, bytes.length);
            a.send(f);
            clock.advance(GAP);
        }
        while (clock.runNext()) {
            // deliver what is still in flight
        }
        assertEquals(0, link.framesInFlight());
        pool.assertNoLeaks();
        return new Run(arrivals, link.stats());
    }

    @ParameterizedTest
    @ValueSource(strings = {"loss", "corruption", "duplication", "reordering", "all"})
    void eachImpairmentIsReproducibleFromItsSeed(String which) {
        UnaryOperator<Link.Builder> settings = switch (which) {
            case "loss" -> b -> b.loss(0.05);
            case "corruption" -> b -> b.corruption(0.01);
            case "duplication" -> b -> b.duplication(0.02);
            case "reordering" -> b -> b.reordering(0.1, Duration.ofNanos(100_000));
            default -> b -> b.loss(0.05).corruption(0.01).duplication(0.02).reordering(0.1, Duration.ofNanos(100_000))
                    .delay(Duration.ofMillis(1)).rateLimit(100_000_000, 4096);
        };
        Run first = run(42, settings);
        Run again = run(42, settings);
        Run other = run(43, settings);
        assertEquals(first.arrivals(), again.arrivals(), "same seed, same arrivals");
        assertEquals(first.stats(), again.stats());
        assertNotEquals(first.arrivals(), other.arrivals(), "another seed, other arrivals");
    }

    @Test
    void withoutImpairmentEveryFrameArrivesIntactInOrderAfterTheDelay() {
        Run r = run(1, b -> b.delay(Duration.ofMillis(3)));
        assertEquals(FRAMES, r.arrivals().size());
        for (int i = 0; i < FRAMES; i++) {
            Arrival x = r.arrivals().get(i);
            assertTrue(Arrays.equals(frame(i), x.bytes()), "frame " + i + " intact");
            assertEquals(i * GAP.toNanos() + 3_000_000, x.nanos(), "frame " + i + " after exactly the delay");
        }
        assertEquals(new Link.Stats(FRAMES, FRAMES, 0, 0, 0, 0, 0, 0), r.stats());
    }

    @Test
    void lossDropsAboutTheGivenShare() {
        Run r = run(7, b -> b.loss(0.1));
        Link.Stats s = r.stats();
        assertEquals(FRAMES, s.lost() + r.arrivals().size());
        // 10 % of 2000 with seed 7: a fixed outcome; the band only says the share is honoured.
        assertTrue(s.lost() > 140 && s.lost() < 260, "lost " + s.lost());
        for (Arrival x : r.arrivals()) {
            assertTrue(Arrays.equals(frame(x.index()), x.bytes()), "survivors are intact");
        }
    }

    @Test
    void corruptionFlipsExactlyOneBit() {
        Run r = run(7, b -> b.corruption(0.05));
        assertEquals(FRAMES, r.arrivals().size());
        long corrupted = r.stats().corrupted();
        assertTrue(corrupted > 40 && corrupted < 170, "corrupted " + corrupted);
        assertEquals(corrupted, countDifferentFromSent(r), "one flipped bit per corrupted frame");
    }

    private static long countDifferentFromSent(Run r) {
        long n = 0;
        for (int i = 0; i < r.arrivals().size(); i++) {
            byte[] got = r.arrivals().get(i).bytes();
            byte[] want = frame(i); // no loss, no reordering: arrival i is frame i
            int bits = 0;
            for (int k = 0; k < want.length; k++) {
                bits += Integer.bitCount((want[k] ^ got[k]) & 0xFF);
            }
            assertTrue(bits <= 1, "arrival " + i + " has " + bits + " flipped bits");
            n += bits;
        }
        return n;
    }

    @Test
    void duplicationDeliversSomeFramesTwice() {
        Run r = run(7, b -> b.duplication(0.05));
        Set<Integer> seen = new HashSet<>();
        int twice = 0;
        for (Arrival x : r.arrivals()) {
            if (!seen.add(x.index())) {
                twice++;
            }
        }
        assertEquals(FRAMES, seen.size());
        assertEquals(r.stats().duplicated(), twice);
        assertTrue(twice > 40 && twice < 170, "duplicated " + twice);
    }

    @Test
    void reorderingLetsLaterFramesOvertake() {
        Run r = run(7, b -> b.reordering(0.2, Duration.ofNanos(200_000)));
        assertEquals(FRAMES, r.arrivals().size());
        int overtaken = 0;
        for (int i = 1; i < r.arrivals().size(); i++) {
            if (r.arrivals().get(i).index() < r.arrivals().get(i - 1).index()) {
                overtaken++;
            }
        }
        assertTrue(overtaken > 0, "some frame arrived after a later one");
        assertTrue(r.stats().reordered() >= overtaken);
        Set<Integer> all = new HashSet<>();
        r.arrivals().forEach(x -> all.add(x.index()));
        assertEquals(FRAMES, all.size(), "nothing lost or doubled");
    }

    @Test
    void rateLimitSerialisesAndItsQueueDropsTheExcess() {
        // 64-byte frames every 10 µs offer 51.2 Mbit/s; at 25.6 Mbit/s each takes 20 µs to send.
        Run r = run(7, b -> b.rateLimit(25_600_000, 640));
        List<Arrival> a = r.arrivals();
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.get(i).nanos() - a.get(i - 1).nanos() >= 20_000, "serialised at the rate");
        }
        assertTrue(r.stats().queueDropped() > 0, "the queue overflowed");
        assertEquals(FRAMES, a.size() + r.stats().queueDropped());
        assertEquals(20_000, a.getFirst().nanos(), "the first frame's last bit leaves after 20 µs");
    }

    @Test
    void framesReachEveryOtherPortAsTheirOwnBuffers() {
        BufferPool pool = new BufferPool(256, 0, 16);
        FakeClock clock = new FakeClock();
        Link link = Link.builder(clock, pool, Entropies.seeded(1)).build();
        List<String> got = new ArrayList<>();
        List<PooledBuffer> held = new ArrayList<>();
        Link.Port a = link.attach("a", (p, f) -> {
            got.add("a");
            f.release();
        });
        link.attach("b", (p, f) -> {
            got.add("b");
            held.add(f);
        });
        link.attach("c", (p, f) -> {
            got.add("c");
            held.add(f);
        });
        PooledBuffer f = pool.acquire();
        f.putI32(0x01020304);
        a.send(f);
        clock.runDue();
        assertEquals(List.of("b", "c"), got, "not back to the sender");
        assertEquals(2, held.size());
        assertTrue(held.get(0) != held.get(1), "each receiver owns its own buffer");
        held.get(0).consume(2);
        assertEquals(0x01020304, held.get(1).getI32(0), "one receiver's window does not move the other's");
        held.forEach(PooledBuffer::release);
        pool.assertNoLeaks();
    }

    @Test
    void closeReleasesFramesInFlightAndLaterSends() {
        BufferPool pool = new BufferPool(256, 0, 16);
        FakeClock clock = new FakeClock();
        Link link = Link.builder(clock, pool, Entropies.seeded(1)).delay(Duration.ofSeconds(1)).duplication(1).build();
        Link.Port a = link.attach("a", (p, f) -> f.release());
        link.attach("b", (p, f) -> f.release());
        for (int i = 0; i < 3; i++) {
            PooledBuffer f = pool.acquire();
            f.putU8(i);
            a.send(f);
        }
        assertEquals(6, link.framesInFlight());
        assertEquals(6, pool.outstanding());
        link.close();
        pool.assertNoLeaks();
        PooledBuffer late = pool.acquire();
        late.putU8(9);
        a.send(late);
        clock.advance(Duration.ofSeconds(2));
        pool.assertNoLeaks();
        assertEquals(0, link.stats().delivered());
    }

    @Test
    void anExhaustedPoolDropsCopiesCountedAndLeaksNothing() {
        BufferPool pool = new BufferPool(256, 0, 2);
        FakeClock clock = new FakeClock();
        Link link = Link.builder(clock, pool, Entropies.seeded(1)).duplication(1).build();
        List<PooledBuffer> held = new ArrayList<>();
        Link.Port a = link.attach("a", (p, f) -> f.release());
        link.attach("b", (p, f) -> held.add(f));
        PooledBuffer first = pool.acquire();
        first.putU8(1);
        a.send(first); // its duplicate takes the pool's second buffer
        PooledBuffer second = pool.tryAcquire();
        assertEquals(null, second, "both buffers are out");
        clock.runDue();
        assertEquals(2, held.size());
        held.forEach(PooledBuffer::release);
        held.clear();
        PooledBuffer third = pool.acquire();
        third.putU8(3);
        PooledBuffer blocker = pool.acquire(); // no buffer left for the duplicate
        a.send(third);
        clock.runDue();
        assertEquals(1, held.size(), "the original arrives, the copy could not be made");
        assertEquals(1, link.stats().poolDropped());
        held.forEach(PooledBuffer::release);
        blocker.release();
        pool.assertNoLeaks();
    }
}
