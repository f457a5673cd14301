package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.stack.arp.ArpLimits;
import atoll.stack.ip.ReassemblyLimits;
import atoll.stack.link.SendOutcome;
import atoll.stack.udp.DatagramReceiver;
import atoll.stack.wire.ArpPacket;
import atoll.stack.wire.EthernetRepr;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.Icmpv4Repr;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.wire.Ipv4Repr;
import atoll.stack.wire.MacAddress;
import atoll.stack.wire.UdpRepr;
import atoll.stack.wire.Verdict;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** IPv4, ICMPv4 and UDP engines through {@link EthernetInterface}, on a fake clock. */
class IpEngineTest {
    static final MacAddress A_MAC = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress B_MAC = MacAddress.parse("02:00:00:00:00:0b");
    static final MacAddress GW_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final Ipv4Address A = Ipv4Address.parse("192.0.2.10");
    static final Ipv4Address B = Ipv4Address.parse("192.0.2.11");
    static final Ipv4Address GW = Ipv4Address.parse("192.0.2.1");
    static final Ipv4Address FAR = Ipv4Address.parse("198.51.100.7");

    static Host a() {
        return new Host(Host.config(A_MAC.toString(), "192.0.2.10/24", "192.0.2.1"));
    }

    static Host b() {
        return new Host(Host.config(B_MAC.toString(), "192.0.2.11/24", null));
    }

    /** Carries frames both ways until neither side sends more. */
    static void pump(Host x, Host y) {
        for (int rounds = 0; rounds < 100 && !(x.sent.isEmpty() && y.sent.isEmpty()); rounds++) {
            while (!x.sent.isEmpty()) {
                y.receive(x.sent.poll());
            }
            while (!y.sent.isEmpty()) {
                x.receive(y.sent.poll());
            }
        }
    }

    record Got(byte[] data, int source, int sourcePort) {}

    static List<Got> bind(Host h, int port) {
        List<Got> got = new ArrayList<>();
        h.nic.udp().bind(port, new DatagramReceiver() {
            @Override
            public void receive(PooledBuffer payload, int source, int sourcePort, int destination, int dport, long now) {
                got.add(new Got(payload.toByteArray(), source, sourcePort));
                payload.release();
            }
        });
        return got;
    }

    /** A learns B's MAC from a request (so tests start resolved). */
    static void introduce(Host from, MacAddress fromMac, Ipv4Address fromIp, Host to, Ipv4Address toIp) {
        to.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.REQUEST, fromMac, fromIp, MacAddress.ZERO, toIp));
        to.sent.clear();
    }

    @Test
    void udpDatagramsTravelBetweenTwoStacks() {
        try (Host x = a(); Host y = b()) {
            List<Got> got = bind(y, 5300);
            assertEquals(SendOutcome.QUEUED, x.nic.udp().send(40000, B.bits(), 5300, x.payload("hello".getBytes()), x.now));
            pump(x, y);
            assertEquals(1, got.size());
            assertArrayEquals("hello".getBytes(), got.get(0).data());
            assertEquals(A.bits(), got.get(0).source());
            assertEquals(40000, got.get(0).sourcePort());
        }
    }

    @Test
    void largeDatagramsAreFragmentedAndReassembled() {
        try (Host x = a(); Host y = b()) {
            List<Got> got = bind(y, 5300);
            byte[] data = new byte[1900];
            new Random(791).nextBytes(data);
            x.nic.udp().send(40000, B.bits(), 5300, x.payload(data), x.now);
            pump(x, y);
            assertEquals(2, x.count("ip.tx.fragments"));
            assertEquals(1, got.size(), () -> y.metrics.snapshot().toString());
            assertArrayEquals(data, got.get(0).data());
        }
    }

    @Test
    void offLinkGoesToTheGatewayAndWithoutOneThereIsNoRoute() throws Exception {
        try (Host x = a(); Host y = b()) {
            introduce(null, GW_MAC, GW, x, A);
            assertEquals(SendOutcome.SENT, x.nic.udp().send(1, FAR.bits(), 2, x.payload(new byte[3]), x.now));
            byte[] f = x.next();
            assertEquals(GW_MAC, EthernetRepr.parse(MemorySegment.ofArray(f), 0, f.length).destination());
            assertEquals(FAR, Ipv4Repr.parse(MemorySegment.ofArray(f), 14, f.length - 14).destination());
            assertEquals(SendOutcome.NO_ROUTE, y.nic.udp().send(1, FAR.bits(), 2, y.payload(new byte[3]), y.now));
            assertEquals(1, y.count("ip.tx.no_route"));
        }
    }

    @Test
    void dontFragmentRefusesWhatExceedsThePathMtu() {
        try (Host x = a()) {
            introduce(null, B_MAC, B, x, A);
            PooledBuffer big = x.payload(new byte[1600]);
            assertEquals(SendOutcome.TOO_BIG, x.nic.ip().send(IpProtocol.UDP, B.bits(), 0, true, big, x.now));
            assertTrue(x.sent.isEmpty());
        }
    }

    @Test
    void fragmentationNeededLowersThePathMtu() throws Exception {
        try (Host x = a()) {
            introduce(null, GW_MAC, GW, x, A);
            // A datagram we sent, quoted back by a router with next-hop MTU 1280 (RFC 1191).
            byte[] quoted = new byte[28];
            Ipv4Repr.of(IpProtocol.UDP, A, FAR, 7, 1480).emit(MemorySegment.ofArray(quoted), 0);
            byte[] icmp = new byte[8 + 28];
            System.arraycopy(quoted, 0, icmp, 8, 28);
            new Icmpv4Repr.DestinationUnreachable(Icmpv4Message.FRAGMENTATION_NEEDED, 1280)
                    .emit(MemorySegment.ofArray(icmp), 0, 28);
            x.receive(Frames.ipv4(GW_MAC, A_MAC, Ipv4Repr.of(IpProtocol.ICMP, GW, A, 9, icmp.length), icmp));
            assertEquals(1280, x.nic.ip().pathMtu().mtu(FAR.bits(), x.now));
            // A report never raises the estimate.
            new Icmpv4Repr.DestinationUnreachable(Icmpv4Message.FRAGMENTATION_NEEDED, 1400)
                    .emit(MemorySegment.ofArray(icmp), 0, 28);
            x.receive(Frames.ipv4(GW_MAC, A_MAC, Ipv4Repr.of(IpProtocol.ICMP, GW, A, 10, icmp.length), icmp));
            assertEquals(1280, x.nic.ip().pathMtu().mtu(FAR.bits(), x.now));
            x.nic.udp().send(1, FAR.bits(), 2, x.payload(new byte[1400]), x.now);
            byte[] first = x.next();
            assertEquals(14 + 1280 - 4, first.length); // (1280 - 20) rounded down to 8: 1256 + 20
            x.next();
            assertEquals(SendOutcome.TOO_BIG,
                    x.nic.ip().send(IpProtocol.UDP, FAR.bits(), 0, true, x.payload(new byte[1300]), x.now));
            // RFC 1191 §6.3: estimates age out after 10 minutes.
            x.advance(Duration.ofMinutes(10));
            assertEquals(1500, x.nic.ip().pathMtu().mtu(FAR.bits(), x.now));
        }
    }

    @Test
    void unknownProtocolGetsProtocolUnreachable() throws Exception {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            y.receive(Frames.ipv4(A_MAC, B_MAC, Ipv4Repr.of(99, A, B, 5, 4), new byte[] {1, 2, 3, 4}));
            byte[] f = y.next();
            Icmpv4Message m = new Icmpv4Message();
            assertEquals(Verdict.OK, m.check(MemorySegment.ofArray(f), 34, f.length - 34));
            assertEquals(Icmpv4Message.DESTINATION_UNREACHABLE, m.type());
            assertEquals(Icmpv4Message.PROTOCOL_UNREACHABLE, m.code());
            assertEquals(99, Ipv4Repr.parse(MemorySegment.ofArray(f), 42, f.length - 42).protocol());
        }
    }

    @Test
    void portUnreachableIsRateLimitedAndNeverSentForBroadcasts() {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            for (int i = 0; i < 25; i++) {
                y.receive(Frames.udp(A_MAC, B_MAC, A, B, 1000, 9, new byte[] {1}, i));
            }
            assertEquals(10, y.sent.size(), "a burst of 10, then the limiter");
            assertEquals(15, y.count("icmp.tx.errors_rate_limited"));
            y.sent.clear();
            y.advance(Duration.ofMillis(500));
            for (int i = 0; i < 10; i++) {
                y.receive(Frames.udp(A_MAC, B_MAC, A, B, 1000, 9, new byte[] {1}, i));
            }
            assertEquals(5, y.sent.size(), "10 per second refill");
            y.sent.clear();
            y.advance(Duration.ofSeconds(5));
            y.receive(Frames.udp(A_MAC, MacAddress.BROADCAST, A, Ipv4Address.parse("192.0.2.255"), 1000, 9,
                    new byte[] {1}, 99));
            assertTrue(y.sent.isEmpty(), "RFC 1122 §3.2.2: no error about a broadcast");
            // Nor about a unicast datagram that came as a link-layer broadcast.
            y.receive(Frames.udp(A_MAC, MacAddress.BROADCAST, A, B, 1000, 9, new byte[] {1}, 100));
            assertTrue(y.sent.isEmpty(), "RFC 1122 §3.2.2: no error about a link-layer broadcast");
            assertEquals(2, y.count("icmp.tx.errors_suppressed"));
            // The same datagram as unicast is answered again.
            y.receive(Frames.udp(A_MAC, B_MAC, A, B, 1000, 9, new byte[] {1}, 101));
            assertEquals(1, y.sent.size());
        }
    }

    @Test
    void portUnreachableReachesTheSendersReceiver() {
        try (Host x = a(); Host y = b()) {
            List<atoll.stack.ip.IcmpError> errors = new ArrayList<>();
            x.nic.udp().bind(40000, new DatagramReceiver() {
                @Override
                public void receive(PooledBuffer payload, int source, int sourcePort, int destination, int dport,
                        long now) {
                    payload.release();
                }

                @Override
                public void icmpError(atoll.stack.ip.IcmpError error, long now) {
                    errors.add(error);
                }
            });
            x.nic.udp().send(40000, B.bits(), 9, x.payload(new byte[] {1, 2}), x.now);
            pump(x, y);
            assertEquals(1, errors.size());
            atoll.stack.ip.IcmpError e = errors.get(0);
            assertEquals(Icmpv4Message.DESTINATION_UNREACHABLE, e.type());
            assertEquals(Icmpv4Message.PORT_UNREACHABLE, e.code());
            assertEquals(B.bits(), e.destination());
            assertEquals(40000, e.srcPort());
            assertEquals(9, e.dstPort());
        }
    }

    @Test
    void broadcastEchoIsIgnoredAndUnicastEchoAnswered() {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            y.receive(Frames.echo(A_MAC, MacAddress.BROADCAST, A, Ipv4Address.BROADCAST, 1, 1, new byte[8]));
            assertTrue(y.sent.isEmpty());
            assertEquals(1, y.count("icmp.rx.broadcast_echo_ignored"));
            y.receive(Frames.echo(A_MAC, B_MAC, A, B, 1, 2, "ping".getBytes()));
            byte[] f = y.next();
            assertEquals("ping", new String(Host.slice(f, 42)));
        }
    }

    @Test
    void notForUsAndBadSourcesAreDropped() {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            List<Got> got = bind(y, 7);
            y.receive(Frames.udp(A_MAC, B_MAC, A, Ipv4Address.parse("192.0.2.99"), 1, 7, new byte[1], 1));
            y.receive(Frames.udp(A_MAC, B_MAC, Ipv4Address.parse("224.0.0.5"), B, 1, 7, new byte[1], 2));
            y.receive(Frames.udp(A_MAC, B_MAC, Ipv4Address.BROADCAST, B, 1, 7, new byte[1], 3));
            y.receive(Frames.udp(A_MAC, MacAddress.parse("02:00:00:00:00:99"), A, B, 1, 7, new byte[1], 4));
            assertTrue(got.isEmpty());
            assertTrue(y.sent.isEmpty());
            assertEquals(1, y.count("ip.rx.not_for_us"));
            assertEquals(2, y.count("ip.rx.bad_source"));
            assertEquals(1, y.count("eth.rx.not_for_us"));
            y.receive(Frames.udp(A_MAC, B_MAC, A, B, 1, 7, new byte[1], 5));
            assertEquals(1, got.size());
        }
    }

    /** Fragments of one 2000-byte UDP datagram from A to B, cut at 8-byte multiples. */
    static List<byte[]> fragments(int id, int... cuts) {
        byte[] data = new byte[2000 - 8];
        new Random(id).nextBytes(data);
        byte[] t = new byte[2000];
        MemorySegment s = MemorySegment.ofArray(t);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 8, data.length);
        new UdpRepr(1, 7).emit(s, 0, data.length, A.bits(), B.bits());
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : t.length;
            byte[] piece = java.util.Arrays.copyOfRange(t, from, to);
            Ipv4Repr ip = new Ipv4Repr(0, id, false, to < t.length, from, 64, IpProtocol.UDP, A, B, piece.length);
            out.add(Frames.ipv4(A_MAC, B_MAC, ip, piece));
            from = to;
        }
        return out;
    }

    @Test
    void overlappingFragmentsDropTheDatagram() {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            List<Got> got = bind(y, 7);
            List<byte[]> f = fragments(1, 800, 1600);
            List<byte[]> g = fragments(1, 792, 1600); // the same datagram, cut 8 bytes earlier
            y.receive(f.get(0));
            y.receive(g.get(1)); // starts at 792, inside the first
            y.receive(f.get(2));
            y.receive(f.get(1));
            assertTrue(got.isEmpty());
            assertEquals(1, y.count("ip.reassembly.overlap"));
            // The later fragments started over and wait for a fragment zero that never comes.
            assertEquals(1, y.nic.ip().reassembling());
        }
    }

    @Test
    void duplicateFragmentsAreHarmlessAndOrderDoesNotMatter() {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            List<Got> got = bind(y, 7);
            List<byte[]> f = fragments(2, 400, 1200, 1600);
            y.receive(f.get(3));
            y.receive(f.get(1));
            y.receive(f.get(1));
            y.receive(f.get(0));
            y.receive(f.get(2));
            assertEquals(1, got.size());
            assertEquals(1992, got.get(0).data().length);
            assertEquals(1, y.count("ip.reassembly.duplicate"));
        }
    }

    @Test
    void reassemblyTimesOutWithTimeExceededOnlyIfFragmentZeroArrived() throws Exception {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            List<byte[]> f = fragments(3, 800);
            List<byte[]> g = fragments(4, 800);
            y.receive(f.get(0)); // fragment zero of datagram 3
            y.receive(g.get(1)); // only the tail of datagram 4
            assertEquals(2, y.nic.ip().reassembling());
            long deadline = y.poll();
            assertEquals(y.now + Duration.ofSeconds(60).toNanos(), deadline);
            y.advance(Duration.ofSeconds(60));
            y.poll();
            assertEquals(0, y.nic.ip().reassembling());
            assertEquals(2, y.count("ip.reassembly.timeout"));
            // 60 s also made the ARP entry for A stale: a unicast poll precedes the message.
            assertEquals(ArpPacket.REQUEST, atoll.stack.wire.ArpRepr.parse(MemorySegment.ofArray(y.next()), 14, 28).operation());
            byte[] te = y.next();
            assertTrue(y.sent.isEmpty());
            Icmpv4Message m = new Icmpv4Message();
            assertEquals(Verdict.OK, m.check(MemorySegment.ofArray(te), 34, te.length - 34));
            assertEquals(Icmpv4Message.TIME_EXCEEDED, m.type());
            assertEquals(Icmpv4Message.REASSEMBLY_TIME_EXCEEDED, m.code());
        }
    }

    @Test
    void reassemblyMemoryIsBounded() {
        try (Host y = new Host(Host.config(B_MAC.toString(), "192.0.2.11/24", null), new BufferPool(2048, 128, 64),
                ArpLimits.defaults(), new ReassemblyLimits(Duration.ofSeconds(60), 4, 6))) {
            introduce(null, A_MAC, A, y, B);
            for (int id = 100; id < 120; id++) {
                y.receive(fragments(id, 800).get(0)); // never completed
            }
            assertEquals(4, y.nic.ip().reassembling());
            assertEquals(16, y.count("ip.reassembly.evicted"));
            assertTrue(y.pool.outstanding() <= 6, "at most 6 fragment buffers held: " + y.pool.outstanding());
            List<Got> got = bind(y, 7);
            for (byte[] piece : fragments(200, 400, 800, 1200, 1600)) {
                y.receive(piece);
            }
            assertEquals(1, got.size(), "a complete datagram still gets through");
        }
    }

    @Test
    void hostileFragmentsAreDropped() {
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            // Beyond 65535 bytes ("ping of death"): offset 65528 with 16 bytes.
            y.receive(Frames.ipv4(A_MAC, B_MAC,
                    new Ipv4Repr(0, 9, false, false, 65528, 64, IpProtocol.UDP, A, B, 16), new byte[16]));
            // A middle fragment whose length is not a multiple of 8.
            y.receive(Frames.ipv4(A_MAC, B_MAC,
                    new Ipv4Repr(0, 9, false, true, 8, 64, IpProtocol.UDP, A, B, 13), new byte[13]));
            assertEquals(2, y.count("ip.reassembly.malformed"));
            assertEquals(0, y.nic.ip().reassembling());
        }
    }

    @Test
    void garbageFramesAreCountedNeverThrownNeverLeaked() {
        Random r = new Random(1122);
        try (Host y = b()) {
            introduce(null, A_MAC, A, y, B);
            bind(y, 7);
            byte[] good = Frames.udp(A_MAC, B_MAC, A, B, 1, 7, new byte[20], 1);
            for (int i = 0; i < 20000; i++) {
                byte[] f;
                if (i % 2 == 0) {
                    f = new byte[r.nextInt(100)];
                    r.nextBytes(f);
                } else {
                    f = good.clone();
                    for (int k = 1 + r.nextInt(4); k > 0; k--) {
                        f[r.nextInt(f.length)] = (byte) r.nextInt(256); // mutate a valid frame
                    }
                    f = java.util.Arrays.copyOf(f, r.nextInt(f.length + 1));
                }
                y.receive(f);
                y.sent.clear();
                y.advance(Duration.ofMillis(10));
                y.poll();
            }
            long dropped = y.metrics.snapshot().entrySet().stream()
                    .filter(e -> e.getKey().contains(".rx.")).mapToLong(java.util.Map.Entry::getValue).sum();
            assertTrue(dropped > 10000, "drops were counted: " + y.metrics.snapshot());
        }
    }
}
