package atoll.testkit;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.time.Timer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An in-memory link joining two or more endpoints, like a hub: a frame sent on one {@link Port}
 * reaches every other port, after the link's delay, unless the seeded impairment decides
 * otherwise. Time is a {@link FakeClock}'s, randomness an injected {@link Entropy}: with the same
 * seed and the same sends, every run delivers the same frames at the same instants.
 *
 * <p>Per frame, in this order and always drawing the same random numbers (so changing one
 * impairment's setting does not reshuffle the others): <b>loss</b> drops it; <b>corruption</b>
 * flips one random bit; <b>duplication</b> delivers a second copy right after the first;
 * <b>reordering</b> holds it back by a random extra delay up to a bound, so later frames overtake
 * it. A <b>rate limit</b> serialises each port's frames at so many bits per second behind a
 * bounded queue (a full queue drops, counted). Frames are delivered from clock timers: the test
 * moves the clock ({@link FakeClock#advance}, {@link FakeClock#runNext}).
 *
 * <p>Buffers (DESIGN §4): {@link Port#send} takes ownership of the frame; each receiver is given a
 * buffer it owns and must release (the last receiver gets the sent buffer itself, others a pooled
 * copy). Frames dropped by an impairment, or still in flight at {@link #close()}, are released by
 * the link, so a test that releases what it receives ends with the pool's leak check at zero.
 *
 * <p>With a {@link PcapWriter} attached, every delivery is recorded once, as the receivers see it
 * (after corruption, duplicates included, in arrival order), time-stamped with the clock's wall
 * time. Not thread-safe: one thread drives the clock and the link.
 */
public final class Link implements AutoCloseable {
    /** Probabilities are drawn as parts per million. */
    private static final int PPM = 1_000_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Takes a frame that arrived on {@code port}; owns {@code frame} and must release it. */
    @FunctionalInterface
    public interface FrameReceiver {
        void onFrame(Port port, PooledBuffer frame);
    }

    /** Counts since the link was built. */
    public record Stats(long sent, long delivered, long lost, long corrupted, long duplicated, long reordered,
            long queueDropped, long poolDropped) {}

    private final FakeClock clock;
    private final BufferPool pool;
    private final Entropy random;
    private final int lossPpm;
    private final int corruptionPpm;
    private final int duplicationPpm;
    private final int reorderPpm;
    private final long reorderMaxNanos;
    private final long delayNanos;
    private final long bitsPerSecond;
    private final int queueBytes;
    private final PcapWriter pcap;
    private final List<Port> ports = new ArrayList<>();
    private final Set<InFlight> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private long sent;
    private long delivered;
    private long lost;
    private long corrupted;
    private long duplicated;
    private long reordered;
    private long queueDropped;
    private long poolDropped;
    private boolean closed;

    private Link(Builder b) {
        this.clock = b.clock;
        this.pool = b.pool;
        this.random = b.random;
        this.lossPpm = b.lossPpm;
        this.corruptionPpm = b.corruptionPpm;
        this.duplicationPpm = b.duplicationPpm;
        this.reorderPpm = b.reorderPpm;
        this.reorderMaxNanos = b.reorderMaxNanos;
        this.delayNanos = b.delayNanos;
        this.bitsPerSecond = b.bitsPerSecond;
        this.queueBytes = b.queueBytes;
        this.pcap = b.pcap;
    }

    /**
     * A link on {@code clock}, copying frames from {@code pool} when it must (duplicates, more
     * than one receiver), drawing its impairments from {@code random} (seeded in tests:
     * {@code Entropies.seeded(seed)}). Without further settings it delivers every frame intact
     * after zero delay (at the clock's next {@link FakeClock#runDue}).
     */
    public static Builder builder(FakeClock clock, BufferPool pool, Entropy random) {
        return new Builder(clock, pool, random);
    }

    /** Attaches a new endpoint; frames sent by the others reach {@code receiver}. */
    public Port attach(String name, FrameReceiver receiver) {
        Port p = new Port(Objects.requireNonNull(name, "name"), Objects.requireNonNull(receiver, "receiver"));
        ports.add(p);
        return p;
    }

    public Stats stats() {
        return new Stats(sent, delivered, lost, corrupted, duplicated, reordered, queueDropped, poolDropped);
    }

    /** Frames scheduled for delivery and not yet delivered. */
    public int framesInFlight() {
        return inFlight.size();
    }

    /** Drops (and releases) the frames still in flight; later sends are released at once. */
    @Override
    public void close() {
        closed = true;
        for (InFlight f : List.copyOf(inFlight)) {
            f.timer.cancel();
            f.frame.release();
        }
        inFlight.clear();
    }

    private void transmit(Port from, PooledBuffer frame) {
        sent++;
        // Every draw is made for every frame, whatever the settings (see class comment).
        boolean lose = random.nextInt(PPM) < lossPpm;
        boolean corrupt = random.nextInt(PPM) < corruptionPpm;
        int bit = random.nextInt(Integer.MAX_VALUE);
        boolean duplicate = random.nextInt(PPM) < duplicationPpm;
        boolean reorder = random.nextInt(PPM) < reorderPpm;
        long extra = reorderMaxNanos == 0 ? 0 : Math.floorMod(random.nextLong(), reorderMaxNanos + 1);
        if (closed || lose) {
            lost++;
            frame.release();
            return;
        }
        long now = clock.nanoTime();
        long departure = now;
        if (bitsPerSecond > 0) {
            double backlogBytes = (double) (from.busyUntil - now) * bitsPerSecond / 8 / NANOS_PER_SECOND;
            if (from.busyUntil > now && backlogBytes + frame.length() > queueBytes) {
                queueDropped++;
                frame.release();
                return;
            }
            departure = Math.max(now, from.busyUntil);
            from.busyUntil = departure + Math.ceilDiv(frame.length() * 8L * NANOS_PER_SECOND, bitsPerSecond);
            departure = from.busyUntil; // the last bit has left
        }
        if (corrupt && frame.length() > 0) {
            corrupted++;
            int at = (bit >>> 3) % frame.length();
            MemorySegment data = frame.data();
            data.set(ValueLayout.JAVA_BYTE, at, (byte) (data.get(ValueLayout.JAVA_BYTE, at) ^ (1 << (bit & 7))));
        }
        long arrival = departure + delayNanos;
        if (reorder && extra > 0) {
            reordered++;
            arrival += extra;
        }
        PooledBuffer copy = null;
        if (duplicate) {
            copy = copyOf(frame);
            if (copy != null) {
                duplicated++;
            }
        }
        schedule(from, frame, arrival - now);
        if (copy != null) {
            schedule(from, copy, arrival - now);
        }
    }

    private void schedule(Port from, PooledBuffer frame, long delayNanos) {
        InFlight f = new InFlight(from, frame);
        inFlight.add(f);
        f.timer = clock.schedule(Duration.ofNanos(delayNanos), () -> deliver(f));
    }

    private void deliver(InFlight f) {
        if (!inFlight.remove(f)) {
            return; // closed meanwhile
        }
        PooledBuffer frame = f.frame;
        if (pcap != null) {
            Instant t = clock.now();
            pcap.write(t.getEpochSecond() * NANOS_PER_SECOND + t.getNano(), frame.data());
        }
        List<Port> to = new ArrayList<>(ports.size());
        for (Port p : ports) {
            if (p != f.from) {
                to.add(p);
            }
        }
        if (to.isEmpty()) {
            frame.release();
            return;
        }
        for (int i = 0; i < to.size(); i++) {
            PooledBuffer mine = i == to.size() - 1 ? frame : copyOf(frame);
            if (mine == null) {
                continue; // counted by copyOf
            }
            delivered++;
            to.get(i).receiver.onFrame(to.get(i), mine);
        }
    }

    /** A pooled copy of the frame's window, or null (counted) when the pool is exhausted. */
    private PooledBuffer copyOf(PooledBuffer frame) {
        PooledBuffer c = pool.tryAcquire();
        if (c == null) {
            poolDropped++;
            return null;
        }
        int n = frame.length();
        if (n > c.tailroom()) {
            c.release();
            throw new IllegalStateException("frame of " + n + " bytes does not fit the link's pool buffers");
        }
        MemorySegment.copy(frame.data(), 0, c.append(n), 0, n);
        return c;
    }

    private static final class InFlight {
        final Port from;
        final PooledBuffer frame;
        Timer timer;

        InFlight(Port from, PooledBuffer frame) {
            this.from = from;
            this.frame = frame;
        }
    }

    /** One endpoint on the link. */
    public final class Port {
        private final String name;
        private final FrameReceiver receiver;
        private long busyUntil;

        private Port(String name, FrameReceiver receiver) {
            this.name = name;
            this.receiver = receiver;
        }

        public String name() {
            return name;
        }

        /** Puts the frame (its data window) on the link. Takes ownership of {@code frame}. */
        public void send(PooledBuffer frame) {
            transmit(this, Objects.requireNonNull(frame, "frame"));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Settings of a {@link Link}; probabilities are in [0, 1], resolved to parts per million. */
    public static final class Builder {
        private final FakeClock clock;
        private final BufferPool pool;
        private final Entropy random;
        private int lossPpm;
        private int corruptionPpm;
        private int duplicationPpm;
        private int reorderPpm;
        private long reorderMaxNanos;
        private long delayNanos;
        private long bitsPerSecond;
        private int queueBytes;
        private PcapWriter pcap;

        private Builder(FakeClock clock, BufferPool pool, Entropy random) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.pool = Objects.requireNonNull(pool, "pool");
            this.random = Objects.requireNonNull(random, "random");
        }

        /** Drops each frame with this probability. */
        public Builder loss(double probability) {
            lossPpm = ppm(probability);
            return this;
        }

        /** Flips one random bit of each frame with this probability. */
        public Builder corruption(double probability) {
            corruptionPpm = ppm(probability);
            return this;
        }

        /** Delivers each frame twice with this probability. */
        public Builder duplication(double probability) {
            duplicationPpm = ppm(probability);
            return this;
        }

        /** Holds each frame back by up to {@code maxExtraDelay} (uniform) with this probability. */
        public Builder reordering(double probability, Duration maxExtraDelay) {
            reorderPpm = ppm(probability);
            reorderMaxNanos = nonNegative(maxExtraDelay);
            return this;
        }

        /** Propagation delay added to every frame. */
        public Builder delay(Duration delay) {
            delayNanos = nonNegative(delay);
            return this;
        }

        /**
         * Serialises each port's frames at {@code bitsPerSecond}, queueing up to {@code queueBytes}
         * behind the one being sent; a frame that does not fit the queue is dropped.
         */
        public Builder rateLimit(long bitsPerSecond, int queueBytes) {
            if (bitsPerSecond <= 0 || queueBytes < 0) {
                throw new IllegalArgumentException("rate " + bitsPerSecond + " bit/s, queue " + queueBytes + " bytes");
            }
            this.bitsPerSecond = bitsPerSecond;
            this.queueBytes = queueBytes;
            return this;
        }

        /** Records every delivery to {@code writer} (the caller closes it). */
        public Builder pcap(PcapWriter writer) {
            this.pcap = Objects.requireNonNull(writer, "writer");
            return this;
        }

        public Link build() {
            return new Link(this);
        }

        private static int ppm(double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("probability " + probability + " is not in [0, 1]");
            }
            return (int) Math.round(probability * PPM);
        }

        private static long nonNegative(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration " + d);
            }
            return d.toNanos();
        }
    }
}
