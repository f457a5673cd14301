package atoll.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * Two TCP stacks exchange a deterministic pseudo-random byte stream in both directions at once
 * over an impaired segment-level in-memory link (the 100 MB run over the whole stack and the
 * testkit's frame link is {@link TcpOverLinkTest}); each side's SHA-256 of what it received must equal the digest of
 * what the other side wrote, and no pooled buffer may be left over.
 */
class BulkTransferTest {
    static final int A = 0xC0000201;
    static final int B = 0xC0000202;
    static final int PORT = 5001;
    static final long MB = 1_000_000L;
    static final long MS = 1_000_000L;

    static Stream<Arguments> cases() {
        SimLink.Impairments harsh = new SimLink.Impairments(0.05, 0.01, 0.05, 0.01);
        return Stream.of(
                Arguments.of("clean, CUBIC, all options", SimLink.Impairments.NONE, TcpConfig.defaults(), 20 * MB),
                Arguments.of("impaired, NewReno, no SACK, no timestamps", harsh,
                        TcpConfig.defaults().withCongestionControl(CongestionAlgorithm.NEW_RENO)
                                .withOptions(true, false, false), 10 * MB),
                Arguments.of("impaired, CUBIC + SACK + timestamps", harsh, TcpConfig.defaults(), 20 * MB));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bothDirectionsArriveBitExact(String name, SimLink.Impairments imp, TcpConfig config, long bytes)
            throws Exception {
        try (BufferPool pool = new BufferPool(2048, 128, 32768)) {
            long[] clock = {1_000_000_000L};
            SimLink link = new SimLink(pool, imp, 7, MS);
            TcpStack a = new TcpStack(config, pool, link.output(() -> clock[0]), Entropies.seeded(1));
            TcpStack b = new TcpStack(config, pool, link.output(() -> clock[0]), Entropies.seeded(2));
            link.attach(A, a);
            link.attach(B, b);
            Peer server = new Peer(bytes, 11);
            Peer client = new Peer(bytes, 22);
            b.listen(0, PORT, c -> server);
            a.connect(clock[0], A, 0, B, PORT, client);
            long steps = 0;
            while (!(client.done() && server.done() && a.connectionCount() == 0 && b.connectionCount() == 0)) {
                long next = Math.min(link.nextDelivery(), Math.min(a.nextDeadline(), b.nextDeadline()));
                assertTrue(next != Long.MAX_VALUE, "stalled: nothing in flight and no timer; client " + client
                        + ", server " + server);
                clock[0] = Math.max(clock[0], next);
                link.deliver(clock[0]);
                a.onTimer(clock[0]);
                b.onTimer(clock[0]);
                client.pump();
                server.pump();
                assertTrue(++steps < 50_000_000L, "too many steps");
            }
            assertEquals(CloseReason.NORMAL, client.closeReason);
            assertEquals(CloseReason.NORMAL, server.closeReason);
            assertEquals(bytes, client.received);
            assertEquals(bytes, server.received);
            assertArrayEquals(server.sentDigest(), client.receivedDigest(), "server -> client stream");
            assertArrayEquals(client.sentDigest(), server.receivedDigest(), "client -> server stream");
            assertEquals(0, a.counters().internalErrors() + b.counters().internalErrors());
            if (imp.corrupt() > 0) {
                assertTrue(a.counters().badChecksum() + b.counters().badChecksum() > 0, "corruption was caught");
                // A flipped bit in the data offset fails the header check before the checksum.
                assertEquals(link.corrupted, a.counters().badChecksum() + b.counters().badChecksum()
                        + a.counters().malformed() + b.counters().malformed(), "every corrupted segment was dropped");
            }
            System.out.printf("%s: %d segments carried, %d lost, %d corrupted, %d duplicated, %d reordered;"
                    + " retransmissions %d/%d, timeouts %d/%d, recoveries %d/%d; simulated %.1f s%n",
                    name, link.carried, link.dropped, link.corrupted, link.duplicated, link.reordered,
                    a.counters().retransmissions(), b.counters().retransmissions(), a.counters().timeouts(),
                    b.counters().timeouts(), a.counters().fastRecoveries(), b.counters().fastRecoveries(),
                    (clock[0] - 1e9) / 1e9);
            link.drain();
            pool.assertNoLeaks();
        }
    }

    /** One side: writes {@code total} pseudo-random bytes, reads everything, closes when done. */
    static final class Peer implements TcpHandler {
        private final long total;
        private final MessageDigest sent;
        private final MessageDigest got;
        private final byte[] chunk = new byte[64 * 1024];
        private final ByteBuffer chunkView = ByteBuffer.wrap(chunk);
        private int chunkPos = chunk.length;
        private int chunkLen = chunk.length;
        private long state;
        private long written;
        long received;
        boolean peerClosed;
        CloseReason closeReason;
        TcpConnection conn;
        private boolean closeSent;
        private byte[] sentDigest;

        Peer(long total, long seed) throws NoSuchAlgorithmException {
            this.total = total;
            this.sent = MessageDigest.getInstance("SHA-256");
            this.got = MessageDigest.getInstance("SHA-256");
            this.state = seed;
        }

        @Override
        public void connected(TcpConnection c) {
            conn = c;
            pump();
        }

        void pump() {
            TcpConnection c = conn;
            if (c == null || closeSent || c.state() == TcpState.CLOSED) {
                return;
            }
            while (written < total) {
                if (chunkPos == chunkLen) {
                    refill();
                }
                int n = c.write(MemorySegment.ofArray(chunk).asSlice(chunkPos, chunkLen - chunkPos));
                if (n == 0) {
                    return;
                }
                chunkPos += n;
                written += n;
            }
            closeSent = true;
            sentDigest = sent.digest();
            c.close();
        }

        private void refill() {
            chunkLen = (int) Math.min(chunk.length, total - written);
            for (int i = 0; i + 8 <= chunkLen; i += 8) {
                state ^= state << 13; // xorshift64
                state ^= state >>> 7;
                state ^= state << 17;
                chunkView.putLong(i, state);
            }
            for (int i = chunkLen & ~7; i < chunkLen; i++) {
                chunk[i] = (byte) i;
            }
            sent.update(chunk, 0, chunkLen);
            chunkPos = 0;
        }

        @Override
        public void readable(TcpConnection c) {
            PooledBuffer b;
            while ((b = c.readBuffer()) != null) {
                got.update(b.data().asByteBuffer());
                received += b.length();
                b.release();
            }
        }

        @Override
        public void writable(TcpConnection c) {
            pump();
        }

        @Override
        public void peerClosed(TcpConnection c) {
            peerClosed = true;
        }

        @Override
        public void closed(TcpConnection c, CloseReason reason) {
            closeReason = reason;
        }

        boolean done() {
            return closeReason != null;
        }

        byte[] sentDigest() {
            assertNotNull(sentDigest, "all written");
            return sentDigest;
        }

        byte[] receivedDigest() {
            return got.digest();
        }

        @Override
        public String toString() {
            return "written " + written + ", received " + received + ", peerClosed " + peerClosed + ", state "
                    + (conn == null ? "-" : conn.state() + " una/nxt/max " + conn.sndUna + "/" + conn.sndNxt + "/"
                    + conn.sndMax + " wnd " + conn.sndWnd + " cwnd " + conn.cc.cwnd() + " unacked "
                    + conn.unacknowledgedBytes());
        }
    }
}
