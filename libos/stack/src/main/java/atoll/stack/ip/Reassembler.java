package atoll.stack.ip;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.stack.wire.BigEndian;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.InternetChecksum;
import atoll.stack.wire.Ipv4Header;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 fragment reassembly (RFC 791 §3.2 "Fragmentation and Reassembly", RFC 1122 §3.3.2) with
 * bounded memory: at most {@link ReassemblyLimits#maxDatagrams()} datagrams and
 * {@link ReassemblyLimits#maxFragments()} fragment buffers are held, each datagram for at most the
 * timeout. Fragments are kept in their own pooled buffers (no copy) until the datagram is complete,
 * then copied once into one buffer.
 *
 * <p>Overlapping fragments drop the whole datagram (the choice RFC 5722 mandates for IPv6, made
 * here for IPv4 too: overlaps are how fragment attacks hide data from inspection); an exact
 * duplicate of a fragment already held is dropped alone. A fragment that would extend the datagram
 * beyond 65535 bytes, a non-final fragment whose length is not a multiple of 8, or a second final
 * fragment that disagrees on the end drop the datagram as well.
 */
final class Reassembler {
    private record Key(int source, int destination, int protocol, int identification) {}

    private static final class Fragment {
        final PooledBuffer buffer;
        final int stamp;
        final int offset; // in the datagram's payload
        final int length;
        final int headerLength;

        Fragment(PooledBuffer buffer, int offset, int length, int headerLength) {
            this.buffer = buffer;
            this.stamp = buffer.generation();
            this.offset = offset;
            this.length = length;
            this.headerLength = headerLength;
        }
    }

    private static final class Datagram {
        final List<Fragment> fragments = new ArrayList<>(4);
        final long deadline;
        int totalLength = -1; // payload bytes, known once the last fragment arrived
        int held;

        Datagram(long deadline) {
            this.deadline = deadline;
        }
    }

    private final BufferPool pool;
    private final ReassemblyLimits limits;
    private final long timeoutNanos;
    private final Map<Key, Datagram> datagrams = new LinkedHashMap<>(); // insertion order: oldest first
    private int fragmentsHeld;

    private final Metrics.Counter overlaps;
    private final Metrics.Counter duplicates;
    private final Metrics.Counter malformed;
    private final Metrics.Counter timeouts;
    private final Metrics.Counter evicted;
    private final Metrics.Counter tooBig;
    private final Metrics.Counter reassembled;

    Reassembler(BufferPool pool, ReassemblyLimits limits, Metrics metrics) {
        this.pool = pool;
        this.limits = limits;
        this.timeoutNanos = limits.timeout().toNanos();
        this.overlaps = metrics.counter("ip.reassembly.overlap");
        this.duplicates = metrics.counter("ip.reassembly.duplicate");
        this.malformed = metrics.counter("ip.reassembly.malformed");
        this.timeouts = metrics.counter("ip.reassembly.timeout");
        this.evicted = metrics.counter("ip.reassembly.evicted");
        this.tooBig = metrics.counter("ip.reassembly.too_big");
        this.reassembled = metrics.counter("ip.reassembly.done");
    }

    /**
     * Takes a fragment: the buffer's window is the whole checked datagram {@code ip} (header
     * first, trimmed to its Total Length). Takes ownership.
     *
     * @return the reassembled datagram (window: a header without MF/offset, then the whole
     *     payload), owned by the caller, or null while fragments are missing or if it was dropped
     */
    PooledBuffer add(PooledBuffer fragment, Ipv4Header ip, long now) {
        int offset = ip.fragmentOffset();
        int length = ip.payloadLength();
        boolean last = !ip.moreFragments();
        Key key = new Key(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        // RFC 791 §3.2: fragments other than the last carry a multiple of 8 octets; and no
        // datagram may exceed 65535 octets ("ping of death").
        if ((!last && length % 8 != 0) || offset + length + ip.headerLength() > Ipv4Header.MAX_DATAGRAM
                || (length == 0 && !last)) {
            malformed.increment();
            fragment.release();
            Datagram d = datagrams.remove(key);
            if (d != null) {
                drop(d);
            }
            return null;
        }
        Datagram d = datagrams.get(key);
        if (d == null) {
            while (datagrams.size() >= limits.maxDatagrams() || (fragmentsHeld >= limits.maxFragments() && !datagrams.isEmpty())) {
                evictOldest();
            }
            d = new Datagram(now + timeoutNanos);
            datagrams.put(key, d);
        } else if (fragmentsHeld >= limits.maxFragments()) {
            // Over the global bound with this datagram still open: make room from the oldest
            // others; if this is the oldest, it goes.
            evictOldest();
            if (!datagrams.containsKey(key)) {
                fragment.release();
                return null;
            }
        }
        int end = offset + length;
        if (last) {
            if (d.totalLength >= 0 && d.totalLength != end) {
                malformed.increment();
                dropDatagram(key, d, fragment);
                return null;
            }
            d.totalLength = end;
        }
        if (d.totalLength >= 0 && end > d.totalLength) {
            malformed.increment();
            dropDatagram(key, d, fragment);
            return null;
        }
        int at = 0;
        for (Fragment f : d.fragments) {
            if (f.offset == offset && f.length == length) {
                duplicates.increment();
                fragment.release();
                return null;
            }
            if (offset < f.offset + f.length && f.offset < end) {
                overlaps.increment();
                dropDatagram(key, d, fragment);
                return null;
            }
            if (f.offset < offset) {
                at++;
            }
        }
        d.fragments.add(at, new Fragment(fragment, offset, length, ip.headerLength()));
        d.held += length;
        fragmentsHeld++;
        if (d.totalLength < 0 || d.held != d.totalLength) {
            return null;
        }
        datagrams.remove(key);
        return assemble(d);
    }

    /** Drops datagrams past their deadline; those whose first fragment arrived are reported. */
    long poll(long now, IcmpErrorSender errors) {
        long next = Long.MAX_VALUE;
        for (Iterator<Datagram> it = datagrams.values().iterator(); it.hasNext(); ) {
            Datagram d = it.next();
            if (now - d.deadline >= 0) {
                it.remove();
                timeouts.increment();
                Fragment first = d.fragments.isEmpty() ? null : d.fragments.get(0);
                if (first != null && first.offset == 0) {
                    // RFC 1122 §3.3.2 / RFC 792: "If fragment zero is not available then no time
                    // exceeded need be sent at all" — and when it is, one is sent.
                    PooledBuffer b = first.buffer;
                    errors.sendError(Icmpv4Message.TIME_EXCEEDED, Icmpv4Message.REASSEMBLY_TIME_EXCEEDED, 0,
                            b.memory(), b.start(), b.length(), now);
                }
                drop(d);
            } else {
                next = Math.min(next, d.deadline);
            }
        }
        return next;
    }

    int datagramsHeld() {
        return datagrams.size();
    }

    int fragmentsHeld() {
        return fragmentsHeld;
    }

    void close() {
        for (Datagram d : datagrams.values()) {
            drop(d);
        }
        datagrams.clear();
    }

    private PooledBuffer assemble(Datagram d) {
        Fragment first = d.fragments.get(0);
        int hl = first.headerLength;
        int total = hl + d.totalLength;
        // On the receive path nothing is prepended, so the datagram may use the whole block.
        PooledBuffer out = total <= pool.bufferSize() ? pool.tryAcquire() : null;
        if (out == null) {
            tooBig.increment();
            drop(d);
            return null;
        }
        out.window(0, 0);
        MemorySegment dst = out.memory();
        long base = 0;
        MemorySegment.copy(first.buffer.memory(), first.buffer.start(), dst, base, hl);
        for (Fragment f : d.fragments) {
            MemorySegment.copy(f.buffer.memory(), f.buffer.start() + f.headerLength, dst, base + hl + f.offset, f.length);
        }
        out.window(0, total);
        // The reassembled header: full length, no MF, offset 0; checksum recomputed.
        BigEndian.putU16(dst, base + Ipv4Header.TOTAL_LENGTH, total);
        BigEndian.putU16(dst, base + Ipv4Header.FLAGS_FRAGMENT,
                BigEndian.u16(dst, base + Ipv4Header.FLAGS_FRAGMENT) & Ipv4Header.DF);
        BigEndian.putU16(dst, base + Ipv4Header.CHECKSUM, 0);
        BigEndian.putU16(dst, base + Ipv4Header.CHECKSUM, InternetChecksum.of(dst, base, hl));
        drop(d);
        reassembled.increment();
        return out;
    }

    private void dropDatagram(Key key, Datagram d, PooledBuffer fragment) {
        fragment.release();
        datagrams.remove(key);
        drop(d);
    }

    private void evictOldest() {
        Iterator<Datagram> it = datagrams.values().iterator();
        Datagram oldest = it.next();
        it.remove();
        evicted.increment();
        drop(oldest);
    }

    private void drop(Datagram d) {
        for (Fragment f : d.fragments) {
            f.buffer.release(f.stamp);
            fragmentsHeld--;
        }
        d.fragments.clear();
        d.held = 0;
    }
}
