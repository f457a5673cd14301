package atoll.stack.arp;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.stack.link.FrameSink;
import atoll.stack.link.SendOutcome;
import atoll.stack.wire.ArpPacket;
import atoll.stack.wire.ArpRepr;
import atoll.stack.wire.EthernetFrame;
import atoll.stack.wire.EthernetRepr;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import atoll.stack.wire.Verdict;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * ARP for one Ethernet interface with one IPv4 address (RFC 826, RFC 1122 §2.3.2), sans-I/O:
 * frames come in through {@link #receive}, packets to send through {@link #send}, time through
 * every call's {@code now} (monotonic nanoseconds) and {@link #poll}; frames leave through the
 * {@link FrameSink}. Nothing here blocks, sleeps or reads a clock.
 *
 * <p>Cache: an address learned from a request to us, or refreshed from any packet whose sender
 * is already cached (RFC 826's "merge" rule; replies nobody asked for do not create entries,
 * which keeps the table from being filled from outside), is used for
 * {@link ArpLimits#reachable()}; then it is polled by unicast while still in use and dropped if the
 * polls go unanswered. Packets for an unresolved address wait in a bounded queue.
 *
 * <p>Bad input — anything that is not an Ethernet/IPv4 request or reply — is counted
 * ({@code arp.rx.malformed}) and dropped. Not thread-safe: one event loop drives it.
 */
public final class ArpEngine implements atoll.stack.link.Ipv4Link {
    private final long mac;
    private final int ip;
    private final BufferPool pool;
    private final FrameSink sink;
    private final ArpLimits limits;
    private final long reachableNanos;
    private final long retryNanos;
    private final Map<Integer, Entry> table = new HashMap<>();
    private final ArpPacket view = new ArpPacket();
    private int pendingTotal;
    private Entry lastEntry;

    private final Metrics.Counter rxMalformed;
    private final Metrics.Counter rxConflict;
    private final Metrics.Counter txRequests;
    private final Metrics.Counter txReplies;
    private final Metrics.Counter pendingDropped;
    private final Metrics.Counter unresolved;
    private final Metrics.Counter noBuffer;

    private static final class Entry {
        final int ip;
        long mac = -1; // -1: incomplete
        long expiresAt; // resolved: end of reachable; incomplete: unused
        long nextRequestAt; // when the next request (broadcast or unicast poll) may go out
        int requestsSent;
        boolean removed; // taken out of the table (so the last-entry shortcut must not use it)
        final ArrayDeque<PooledBuffer> pending = new ArrayDeque<>(2);
        final ArrayDeque<Integer> pendingStamps = new ArrayDeque<>(2);

        Entry(int ip) {
            this.ip = ip;
        }

        boolean resolved() {
            return mac >= 0;
        }
    }

    public ArpEngine(MacAddress mac, Ipv4Address ip, BufferPool pool, FrameSink sink, Metrics metrics, ArpLimits limits) {
        this.mac = mac.bits();
        this.ip = ip.bits();
        this.pool = pool;
        this.sink = sink;
        this.limits = limits;
        this.reachableNanos = limits.reachable().toNanos();
        this.retryNanos = limits.retryInterval().toNanos();
        this.rxMalformed = metrics.counter("arp.rx.malformed");
        this.rxConflict = metrics.counter("arp.rx.address_conflict");
        this.txRequests = metrics.counter("arp.tx.requests");
        this.txReplies = metrics.counter("arp.tx.replies");
        this.pendingDropped = metrics.counter("arp.pending.dropped");
        this.unresolved = metrics.counter("arp.unresolved");
        this.noBuffer = metrics.counter("arp.no_buffer");
    }

    /**
     * Handles an ARP packet: the buffer's window starts at the ARP header (the Ethernet header
     * consumed). Takes ownership: the buffer is released before this returns.
     */
    public void receive(PooledBuffer packet, long now) {
        try {
            if (view.check(packet) != Verdict.OK) {
                rxMalformed.increment();
                return;
            }
            long sha = view.senderHardware();
            int spa = view.senderProtocol();
            int tpa = view.targetProtocol();
            if (spa == ip) {
                if (sha != mac) {
                    // RFC 5227 §2.4: another host claims our address; we keep ours and count it.
                    rxConflict.increment();
                }
                return; // our own announcement reflected back: nothing to learn or answer
            }
            if (MacAddress.isMulticast(sha) || spa == 0 || Ipv4Address.isMulticast(spa) || spa == -1) {
                // A probe (RFC 5227 §2.1.1, sender 0.0.0.0) or a nonsense sender: nothing to learn,
                // but a probe for our address still gets its answer below.
                if (view.operation() == ArpPacket.REQUEST && tpa == ip && spa == 0 && !MacAddress.isMulticast(sha)) {
                    reply(sha, 0, now);
                }
                return;
            }
            // RFC 826 "Packet Reception": "If the pair <protocol type, sender protocol address> is
            // already in my translation table, update the sender hardware address field of the
            // entry with the new information in the packet and set Merge_flag to true."
            Entry e = table.get(spa);
            boolean merge = e != null;
            if (merge) {
                learn(e, sha, now);
            }
            // RFC 826: "?Am I the target protocol address? Yes: If Merge_flag is false, add the
            // triplet <protocol type, sender protocol address, sender hardware address> to the
            // translation table."
            if (tpa != ip) {
                return;
            }
            // Deviation (as Linux): only a request creates an entry; an unsolicited reply to us
            // updates what exists (above) but adds nothing, so replies nobody asked for cannot
            // fill the table or plant mappings.
            if (!merge && view.operation() == ArpPacket.REQUEST) {
                e = newEntry(spa, now);
                if (e != null) {
                    learn(e, sha, now);
                }
            }
            // RFC 826: "?Is the opcode ares_op$REQUEST? Yes: Swap hardware and protocol fields,
            // putting the local hardware and protocol addresses in the sender fields. ... Send the
            // packet to the (new) target hardware address on the same hardware on which the
            // request was received."
            if (view.operation() == ArpPacket.REQUEST) {
                reply(sha, spa, now);
            }
        } finally {
            packet.release();
        }
    }

    /**
     * Sends an IPv4 datagram (the buffer's window) to {@code nextHop} on this link, pushing the
     * Ethernet header once the next hop's MAC address is known; until then it waits in the
     * bounded queue and a request goes out. Takes ownership in every outcome.
     */
    @Override
    public SendOutcome send(int nextHop, PooledBuffer datagram, long now) {
        // Most traffic goes to one next hop (the gateway, or the one peer): remembering the last
        // entry spares the map lookup and its Integer box on the hot path.
        Entry e = lastEntry != null && !lastEntry.removed && lastEntry.ip == nextHop ? lastEntry : null;
        if (e == null) {
            e = table.get(nextHop);
            lastEntry = e;
        }
        if (e != null && e.resolved()) {
            if (now - e.expiresAt >= 0 && now - e.nextRequestAt >= 0) {
                // Past reachable: keep using it, and poll the host directly (RFC 1122 §2.3.2.1 (2)).
                request(nextHop, e.mac, now);
                e.requestsSent++;
                e.nextRequestAt = now + retryNanos;
            }
            return transmit(datagram, e.mac, EthernetFrame.TYPE_IPV4);
        }
        if (e == null) {
            e = newEntry(nextHop, now);
            if (e == null) {
                datagram.release();
                unresolved.increment();
                return SendOutcome.UNRESOLVED;
            }
        }
        enqueue(e, datagram);
        if (e.requestsSent == 0) {
            request(nextHop, MacAddress.BROADCAST.bits(), now);
            e.requestsSent = 1;
            e.nextRequestAt = now + retryNanos;
        }
        return SendOutcome.QUEUED;
    }

    /** Sends a datagram to the Ethernet broadcast address (for IPv4 broadcasts). Takes ownership. */
    @Override
    public SendOutcome sendBroadcast(PooledBuffer datagram) {
        return transmit(datagram, MacAddress.BROADCAST.bits(), EthernetFrame.TYPE_IPV4);
    }

    /**
     * Announces our address with a gratuitous request (RFC 5227 §2.3 "ARP Announcement": sender
     * and target protocol address both ours, target hardware address zero, broadcast), so that
     * neighbours update stale caches at start.
     */
    public void announce(long now) {
        PooledBuffer b = pool.tryAcquire();
        if (b == null) {
            noBuffer.increment();
            return;
        }
        ArpRepr.emit(b.append(ArpPacket.LENGTH), 0, ArpPacket.REQUEST, mac, ip, 0, ip);
        txRequests.increment();
        transmit(b, MacAddress.BROADCAST.bits(), EthernetFrame.TYPE_ARP);
    }

    /** The MAC address cached for {@code address} (resolved entries only), or -1. */
    public long lookup(int address) {
        Entry e = table.get(address);
        return e != null && e.resolved() ? e.mac : -1;
    }

    /** Packets waiting for resolution, all addresses together. */
    public int pendingCount() {
        return pendingTotal;
    }

    /** Entries in the cache, resolved or not. */
    public int size() {
        return table.size();
    }

    /**
     * Runs the timers due at {@code now}: retries requests, gives up on addresses that did not
     * answer (dropping their queued packets), and forgets mappings whose polls went unanswered.
     *
     * @return the next instant (nanoseconds) at which to call again, or {@link Long#MAX_VALUE}
     */
    public long poll(long now) {
        long next = Long.MAX_VALUE;
        for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!e.resolved()) {
                if (now - e.nextRequestAt < 0) {
                    next = Math.min(next, e.nextRequestAt);
                    continue;
                }
                if (e.requestsSent >= limits.retries()) {
                    unresolved.increment();
                    dropPending(e);
                    it.remove();
                    e.removed = true;
                    continue;
                }
                request(e.ip, MacAddress.BROADCAST.bits(), now);
                e.requestsSent++;
                e.nextRequestAt = now + retryNanos;
                next = Math.min(next, e.nextRequestAt);
            } else {
                // Unanswered polls after reachable ran out: the mapping is gone.
                long deadline = e.expiresAt + limits.retries() * retryNanos;
                if (now - deadline >= 0) {
                    it.remove();
                    e.removed = true;
                } else {
                    next = Math.min(next, deadline);
                }
            }
        }
        return next;
    }

    /** Releases every queued packet (the interface is going away). */
    public void close() {
        for (Entry e : table.values()) {
            dropPending(e);
        }
        table.clear();
        lastEntry = null;
    }

    private void learn(Entry e, long sha, long now) {
        e.mac = sha;
        e.expiresAt = now + reachableNanos;
        e.nextRequestAt = e.expiresAt;
        e.requestsSent = 0;
        while (!e.pending.isEmpty()) {
            PooledBuffer b = e.pending.poll();
            int stamp = e.pendingStamps.poll();
            pendingTotal--;
            if (b.generation() != stamp) {
                // Cannot happen unless someone released a queued packet behind our back; the
                // buffer is someone else's now, so leave it alone.
                continue;
            }
            transmit(b, sha, EthernetFrame.TYPE_IPV4);
        }
    }

    private Entry newEntry(int address, long now) {
        if (table.size() >= limits.maxEntries() && !evictOldestResolved()) {
            return null;
        }
        Entry e = new Entry(address);
        e.nextRequestAt = now;
        table.put(address, e);
        return e;
    }

    private boolean evictOldestResolved() {
        Entry oldest = null;
        for (Entry e : table.values()) {
            if (e.resolved() && (oldest == null || e.expiresAt - oldest.expiresAt < 0)) {
                oldest = e;
            }
        }
        if (oldest == null) {
            return false;
        }
        table.remove(oldest.ip);
        oldest.removed = true;
        return true;
    }

    private void enqueue(Entry e, PooledBuffer datagram) {
        if (e.pending.size() >= limits.maxPendingPerAddress() || pendingTotal >= limits.maxPendingTotal()) {
            if (e.pending.isEmpty()) {
                // The queue is full with other addresses' packets: this one goes.
                pendingDropped.increment();
                datagram.release();
                return;
            }
            // RFC 1122 §2.3.2.2: keep the latest; the oldest of this address goes.
            PooledBuffer old = e.pending.poll();
            old.release(e.pendingStamps.poll());
            pendingTotal--;
            pendingDropped.increment();
        }
        e.pending.add(datagram);
        e.pendingStamps.add(datagram.generation());
        pendingTotal++;
    }

    private void dropPending(Entry e) {
        while (!e.pending.isEmpty()) {
            e.pending.poll().release(e.pendingStamps.poll());
            pendingTotal--;
            pendingDropped.increment();
        }
    }

    private void request(int target, long destinationMac, long now) {
        PooledBuffer b = pool.tryAcquire();
        if (b == null) {
            noBuffer.increment();
            return;
        }
        ArpRepr.emit(b.append(ArpPacket.LENGTH), 0, ArpPacket.REQUEST, mac, ip, 0, target);
        txRequests.increment();
        transmit(b, destinationMac, EthernetFrame.TYPE_ARP);
    }

    private void reply(long targetMac, int targetIp, long now) {
        PooledBuffer b = pool.tryAcquire();
        if (b == null) {
            noBuffer.increment();
            return;
        }
        ArpRepr.emit(b.append(ArpPacket.LENGTH), 0, ArpPacket.REPLY, mac, ip, targetMac, targetIp);
        txReplies.increment();
        transmit(b, targetMac, EthernetFrame.TYPE_ARP);
    }

    private SendOutcome transmit(PooledBuffer b, long destinationMac, int etherType) {
        if (b.headroom() < EthernetFrame.HEADER_LENGTH) {
            noBuffer.increment();
            b.release();
            return SendOutcome.NO_BUFFER;
        }
        b.pushHeader(HeaderLayer.LINK, EthernetFrame.HEADER_LENGTH);
        EthernetRepr.emit(b.memory(), b.start(), destinationMac, mac, etherType);
        sink.send(b);
        return SendOutcome.SENT;
    }
}
