package atoll.openvpn.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReliableChannelTest {
    static final long MS = 1_000_000L;

    /** A packet in flight on the simulated link, due at {@code at}. */
    record InFlight(long at, boolean toB, byte[] octets) {}

    /**
     * Two channels over a link that loses, duplicates, reorders and delays packets (seeded), on a
     * simulated clock; each side sends {@code n} messages; everything must arrive once, in order.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void deliversInOrderExactlyOnceThroughImpairment(long seed) throws Exception {
        Random r = new Random(seed);
        ReliableChannel a = new ReliableChannel(0, 0xaL, 0xbL, 1, 1);
        ReliableChannel b = new ReliableChannel(0, 0xbL, 0xaL, 1, 1);
        int n = 200;
        List<byte[]> sentA = new ArrayList<>();
        List<byte[]> sentB = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] m = ("a" + i + "-" + r.nextInt()).getBytes();
            sentA.add(m);
            assertTrue(a.offer(Opcode.CONTROL_V1, m) || i >= ReliableChannel.MAX_QUEUED);
        }
        List<byte[]> gotA = new ArrayList<>();
        List<byte[]> gotB = new ArrayList<>();
        List<InFlight> link = new ArrayList<>();
        int nextOfferA = ReliableChannel.MAX_QUEUED;
        long now = 0;
        int sentOnLink = 0;
        for (int step = 0; step < 200_000 && (gotB.size() < n || gotA.size() < n / 2); step++) {
            now += 50 * MS;
            while (nextOfferA < n && a.offer(Opcode.CONTROL_V1, sentA.get(nextOfferA))) {
                nextOfferA++;
            }
            if (sentB.size() < n / 2 && r.nextInt(4) == 0) {
                byte[] m = ("b" + sentB.size()).getBytes();
                if (b.offer(Opcode.CONTROL_V1, m)) {
                    sentB.add(m);
                }
            }
            for (boolean fromA : new boolean[] {true, false}) {
                for (ControlPacket p : (fromA ? a : b).poll(now)) {
                    sentOnLink++;
                    if (r.nextInt(100) < 20) {
                        continue; // lost
                    }
                    int copies = r.nextInt(100) < 10 ? 2 : 1; // duplicated
                    for (int c = 0; c < copies; c++) {
                        link.add(new InFlight(now + r.nextInt(400) * MS, fromA, p.toBytes())); // delayed, so reordered
                    }
                }
            }
            for (var it = link.iterator(); it.hasNext(); ) {
                InFlight f = it.next();
                if (f.at() <= now) {
                    it.remove();
                    ControlPacket p = ControlPacket.parse(f.octets());
                    ReliableChannel to = f.toB() ? b : a;
                    to.receive(p);
                    for (byte[] m = to.takeDelivered(); m != null; m = to.takeDelivered()) {
                        (f.toB() ? gotB : gotA).add(m);
                    }
                }
            }
        }
        assertEquals(n, gotB.size(), "a to b");
        for (int i = 0; i < n; i++) {
            assertArrayEquals(sentA.get(i), gotB.get(i), "message " + i);
        }
        assertEquals(sentB.size(), gotA.size(), "b to a");
        for (int i = 0; i < gotA.size(); i++) {
            assertArrayEquals(sentB.get(i), gotA.get(i));
        }
        assertTrue(a.retransmissions() > 0, "20% loss must have caused retransmissions");
        assertTrue(sentOnLink > n, "packets on the link");
    }

    @Test
    void duplicatesAreAcknowledgedAgainAndFarFutureIdsDropped() {
        ReliableChannel ch = new ReliableChannel(0, 1, 2, 1, 1);
        ControlPacket one = new ControlPacket(Opcode.CONTROL_V1, 0, 2, new long[0], 0, 1, new byte[] {1});
        assertInstanceOf(ReliableChannel.Accepted.class, ch.receive(one));
        assertEquals(List.of(1L), acks(ch.poll(0)));
        assertInstanceOf(ReliableChannel.Duplicate.class, ch.receive(one));
        assertEquals(List.of(1L), acks(ch.poll(0)), "a duplicate is acknowledged again (our ack may be lost)");
        ControlPacket far = new ControlPacket(Opcode.CONTROL_V1, 0, 2, new long[0], 0,
                2 + ReliableChannel.RECEIVE_WINDOW, new byte[] {9});
        assertInstanceOf(ReliableChannel.OutOfWindow.class, ch.receive(far));
        assertEquals(List.of(), ch.poll(0), "no ack for what was not kept");
        assertArrayEquals(new byte[] {1}, ch.takeDelivered());
        assertEquals(null, ch.takeDelivered());
    }

    @Test
    void retransmitsWithDoublingTimeoutUntilAcknowledged() {
        ReliableChannel ch = new ReliableChannel(0, 1, 2, 1, 1);
        ch.offer(Opcode.CONTROL_V1, new byte[] {7});
        assertEquals(1, ch.poll(0).size());
        long rto = ReliableChannel.INITIAL_RTO_NANOS;
        assertEquals(rto, ch.nextDeadline(0));
        assertEquals(0, ch.poll(rto - 1).size());
        assertEquals(1, ch.poll(rto).size());
        assertEquals(rto + 2 * rto, ch.nextDeadline(rto), "back-off doubles");
        ch.receive(new ControlPacket(Opcode.ACK_V1, 0, 2, new long[] {1}, 1, -1, new byte[0]));
        assertTrue(ch.idle());
        assertEquals(Long.MAX_VALUE, ch.nextDeadline(rto));
        assertEquals(1, ch.retransmissions());
    }

    @Test
    void theSendWindowAndQueueAreBounded() {
        ReliableChannel ch = new ReliableChannel(0, 1, 2, 1, 1);
        for (int i = 0; i < ReliableChannel.MAX_QUEUED; i++) {
            assertTrue(ch.offer(Opcode.CONTROL_V1, new byte[] {(byte) i}));
        }
        assertEquals(false, ch.offer(Opcode.CONTROL_V1, new byte[] {0}));
        assertEquals(ReliableChannel.SEND_WINDOW, ch.poll(0).size());
    }

    static List<Long> acks(List<ControlPacket> ps) {
        List<Long> out = new ArrayList<>();
        for (ControlPacket p : ps) {
            for (long a : p.acks()) {
                out.add(a);
            }
        }
        return out;
    }
}
