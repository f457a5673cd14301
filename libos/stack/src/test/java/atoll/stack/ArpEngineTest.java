package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.stack.arp.ArpLimits;
import atoll.stack.ip.ReassemblyLimits;
import atoll.stack.link.SendOutcome;
import atoll.stack.wire.ArpPacket;
import atoll.stack.wire.ArpRepr;
import atoll.stack.wire.EthernetFrame;
import atoll.stack.wire.EthernetRepr;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import atoll.stack.wire.MalformedPacketException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArpEngineTest {
    static final MacAddress US = MacAddress.parse("02:00:00:00:00:02");
    static final Ipv4Address OUR_IP = Ipv4Address.parse("192.0.2.2");
    static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:01");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("192.0.2.1");
    static final Ipv4Address OTHER_IP = Ipv4Address.parse("192.0.2.9");

    static Host host() {
        return host(ArpLimits.defaults());
    }

    static Host host(ArpLimits limits) {
        return new Host(Host.config(US.toString(), "192.0.2.2/24", null), new BufferPool(2048, 128, 512), limits,
                ReassemblyLimits.defaults());
    }

    static EthernetRepr eth(byte[] f) throws MalformedPacketException {
        return EthernetRepr.parse(MemorySegment.ofArray(f), 0, f.length);
    }

    static ArpRepr arp(byte[] f) throws MalformedPacketException {
        return ArpRepr.parse(MemorySegment.ofArray(f), 14, f.length - 14);
    }

    static byte[] requestFromPeer(Ipv4Address target) {
        return Frames.arp(MacAddress.BROADCAST, ArpPacket.REQUEST, PEER, PEER_IP, MacAddress.ZERO, target);
    }

    static byte[] replyFromPeer() {
        return Frames.arp(US, ArpPacket.REPLY, PEER, PEER_IP, US, OUR_IP);
    }

    @Test
    void answersRequestsForOurAddressAndLearnsTheAsker() throws MalformedPacketException {
        try (Host h = host()) {
            h.receive(requestFromPeer(OUR_IP));
            byte[] f = h.next();
            assertEquals(new EthernetRepr(PEER, US, EthernetFrame.TYPE_ARP), eth(f));
            assertEquals(new ArpRepr(ArpPacket.REPLY, US, OUR_IP, PEER, PEER_IP), arp(f));
            assertEquals(PEER.bits(), h.nic.arp().lookup(PEER_IP.bits()));
        }
    }

    @Test
    void ignoresRequestsForOthersAndDoesNotLearnFromThem() {
        try (Host h = host()) {
            h.receive(requestFromPeer(OTHER_IP));
            assertTrue(h.sent.isEmpty());
            assertEquals(-1, h.nic.arp().lookup(PEER_IP.bits()));
            // Nor from an unsolicited reply: RFC 826 only merges into existing entries.
            h.receive(replyFromPeer());
            assertEquals(-1, h.nic.arp().lookup(PEER_IP.bits()));
        }
    }

    @Test
    void queuesUntilResolvedThenSendsToTheLearnedAddress() throws MalformedPacketException {
        try (Host h = host()) {
            assertEquals(SendOutcome.QUEUED, h.nic.udp().send(1000, PEER_IP.bits(), 53, h.payload(new byte[] {1}), h.now));
            byte[] req = h.next();
            assertEquals(new EthernetRepr(MacAddress.BROADCAST, US, EthernetFrame.TYPE_ARP), eth(req));
            assertEquals(new ArpRepr(ArpPacket.REQUEST, US, OUR_IP, MacAddress.ZERO, PEER_IP), arp(req));
            assertEquals(1, h.nic.arp().pendingCount());
            h.receive(replyFromPeer());
            byte[] datagram = h.next();
            assertEquals(new EthernetRepr(PEER, US, EthernetFrame.TYPE_IPV4), eth(datagram));
            assertEquals(0, h.nic.arp().pendingCount());
            // Resolved now: the next one goes straight out.
            assertEquals(SendOutcome.SENT, h.nic.udp().send(1000, PEER_IP.bits(), 53, h.payload(new byte[] {2}), h.now));
            assertEquals(EthernetFrame.TYPE_IPV4, eth(h.next()).etherType());
        }
    }

    @Test
    void retriesThenGivesUpAndReleasesTheQueue() throws MalformedPacketException {
        try (Host h = host()) {
            h.nic.udp().send(1000, PEER_IP.bits(), 53, h.payload(new byte[] {1}), h.now);
            h.next();
            long deadline = h.poll();
            assertEquals(h.now + Duration.ofSeconds(1).toNanos(), deadline);
            h.advance(Duration.ofMillis(999));
            h.poll();
            assertTrue(h.sent.isEmpty(), "no request before the retry interval (RFC 1122: 1 per second)");
            h.advance(Duration.ofMillis(1));
            h.poll();
            assertEquals(new ArpRepr(ArpPacket.REQUEST, US, OUR_IP, MacAddress.ZERO, PEER_IP), arp(h.next()));
            h.advance(Duration.ofSeconds(1));
            h.poll();
            arp(h.next()); // the third and last request
            h.advance(Duration.ofSeconds(1));
            assertEquals(Long.MAX_VALUE, h.poll());
            assertTrue(h.sent.isEmpty());
            assertEquals(0, h.nic.arp().pendingCount());
            assertEquals(1, h.count("arp.unresolved"));
            assertEquals(1, h.count("arp.pending.dropped"));
            assertEquals(0, h.pool.outstanding(), "the queued datagram was released");
        }
    }

    @Test
    void pendingQueueIsBoundedPerAddressAndInAll() {
        try (Host h = host(new ArpLimits(Duration.ofSeconds(60), Duration.ofSeconds(1), 3, 256, 2, 3))) {
            for (int i = 0; i < 5; i++) {
                h.nic.udp().send(1000, PEER_IP.bits(), 53, h.payload(new byte[] {(byte) i}), h.now);
            }
            assertEquals(2, h.nic.arp().pendingCount());
            assertEquals(3, h.count("arp.pending.dropped"));
            h.nic.udp().send(1000, OTHER_IP.bits(), 53, h.payload(new byte[] {9}), h.now);
            h.nic.udp().send(1000, Ipv4Address.parse("192.0.2.10").bits(), 53, h.payload(new byte[] {9}), h.now);
            assertEquals(3, h.nic.arp().pendingCount());
            assertEquals(4, h.count("arp.pending.dropped"));
            h.sent.clear();
            // The latest two for PEER survive (RFC 1122 §2.3.2.2 keeps the latest).
            h.receive(replyFromPeer());
            byte[] a = h.next();
            byte[] b = h.next();
            assertEquals(3, a[a.length - 1]);
            assertEquals(4, b[b.length - 1]);
        }
    }

    @Test
    void entriesArePolledAfterReachableAndForgottenIfSilent() throws MalformedPacketException {
        try (Host h = host()) {
            h.receive(requestFromPeer(OUR_IP));
            h.next();
            h.advance(Duration.ofSeconds(61));
            // Still used, and polled by unicast.
            assertEquals(SendOutcome.SENT, h.nic.udp().send(1, PEER_IP.bits(), 2, h.payload(new byte[1]), h.now));
            byte[] poll = h.next();
            assertEquals(new EthernetRepr(PEER, US, EthernetFrame.TYPE_ARP), eth(poll));
            assertEquals(ArpPacket.REQUEST, arp(poll).operation());
            h.next(); // the datagram
            // No answer: after the retries the mapping is gone.
            h.advance(Duration.ofSeconds(3));
            h.poll();
            assertEquals(-1, h.nic.arp().lookup(PEER_IP.bits()));
        }
    }

    @Test
    void anAnsweredPollRefreshesTheEntry() {
        try (Host h = host()) {
            h.receive(requestFromPeer(OUR_IP));
            h.next();
            h.advance(Duration.ofSeconds(61));
            h.nic.udp().send(1, PEER_IP.bits(), 2, h.payload(new byte[1]), h.now);
            h.sent.clear();
            h.receive(replyFromPeer());
            h.advance(Duration.ofSeconds(30));
            h.poll();
            assertEquals(PEER.bits(), h.nic.arp().lookup(PEER_IP.bits()));
        }
    }

    @Test
    void announcesItselfGratuitously() throws MalformedPacketException {
        try (Host h = host()) {
            h.nic.start(h.now);
            byte[] f = h.next();
            assertEquals(new EthernetRepr(MacAddress.BROADCAST, US, EthernetFrame.TYPE_ARP), eth(f));
            assertEquals(new ArpRepr(ArpPacket.REQUEST, US, OUR_IP, MacAddress.ZERO, OUR_IP), arp(f));
        }
    }

    @Test
    void conflictsAndMalformedPacketsAreCountedNotThrown() {
        try (Host h = host()) {
            h.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.REQUEST, PEER, OUR_IP, MacAddress.ZERO, OUR_IP));
            assertEquals(1, h.count("arp.rx.address_conflict"));
            h.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.REQUEST, US, OUR_IP, MacAddress.ZERO, OUR_IP));
            assertEquals(1, h.count("arp.rx.address_conflict"), "our own announcement, reflected, is no conflict");
            assertEquals(-1, h.nic.arp().lookup(OUR_IP.bits()));
            byte[] f = requestFromPeer(OUR_IP);
            f[14 + 1] = 6; // hardware type 6 (IEEE 802)
            h.receive(f);
            h.receive(java.util.Arrays.copyOf(requestFromPeer(OUR_IP), 30));
            assertEquals(2, h.count("arp.rx.malformed"));
            assertTrue(h.sent.isEmpty());
        }
    }

    @Test
    void cacheIsBounded() {
        try (Host h = host(new ArpLimits(Duration.ofSeconds(60), Duration.ofSeconds(1), 3, 4, 1, 4))) {
            for (int i = 10; i < 20; i++) {
                MacAddress mac = new MacAddress(0x0200_0000_0000L + i);
                h.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.REQUEST, mac,
                        new Ipv4Address(0xc0000200 + i), MacAddress.ZERO, OUR_IP));
                h.advance(Duration.ofMillis(1));
            }
            assertEquals(4, h.nic.arp().size());
            assertEquals(0x0200_0000_0000L + 19, h.nic.arp().lookup(0xc0000200 + 19));
            assertEquals(-1, h.nic.arp().lookup(0xc0000200 + 10));
            h.sent.clear();
        }
    }
}
