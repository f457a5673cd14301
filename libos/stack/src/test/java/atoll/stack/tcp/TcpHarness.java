package atoll.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.stack.wire.MalformedPacketException;
import atoll.stack.wire.TcpRepr;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP test DSL: one {@link TcpStack} under test on a fake clock, the test playing its peer.
 * {@link #inject} hands it a segment built from a {@link TcpRepr}; {@link #expect} takes the next
 * segment it sent and runs {@link Checker}s on it; {@link #advance} moves the clock and fires
 * timers. Closing checks that nothing was left unexpected and that no buffer leaked.
 */
final class TcpHarness implements AutoCloseable {
    static final int LOCAL = 0xC0000201; // 192.0.2.1, the stack under test
    static final int REMOTE = 0xC0000202; // 192.0.2.2, the test's peer
    static final int LISTEN_PORT = 8080;
    static final int PEER_PORT = 40000;
    static final int PEER_ISN = 0x7FFFFF00; // near the sign flip: comparisons must wrap
    static final int PEER_WINDOW = 65535;

    final BufferPool pool = new BufferPool(2048, 128, 4096, true);
    final ArrayDeque<SentSegment> sent = new ArrayDeque<>();
    final TcpStack stack;
    final Recorder recorder = new Recorder();
    long now = 1_000_000_000L;
    /** The ISN the stack chose, learned from its SYN or SYN-ACK. */
    int isn;

    TcpHarness() {
        this(TcpConfig.defaults());
    }

    TcpHarness(TcpConfig config) {
        stack = new TcpStack(config, pool, this::transmitted, Entropies.seeded(42));
    }

    private void transmitted(int src, int dst, PooledBuffer b) {
        try {
            assertEquals(LOCAL, src, "source address");
            TcpRepr h = TcpRepr.parse(b.memory(), b.start(), b.length(), src, dst);
            byte[] payload = b.data().asSlice(h.headerLength()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            sent.add(new SentSegment(h, payload, now));
        } catch (MalformedPacketException e) {
            fail("stack sent a malformed segment: " + e.getMessage());
        } finally {
            b.release();
        }
    }

    // ------------------------------------------------------------------ injecting

    void inject(TcpRepr h) {
        inject(h, new byte[0]);
    }

    void inject(TcpRepr h, byte[] payload) {
        byte[] bytes = h.toBytes(payload, REMOTE, LOCAL);
        PooledBuffer b = pool.acquire();
        b.put(bytes, 0, bytes.length);
        stack.receive(now, REMOTE, LOCAL, b);
    }

    /** Injects raw bytes as a segment from the peer (for corrupted or malformed input). */
    void injectRaw(byte[] bytes) {
        PooledBuffer b = pool.acquire();
        b.put(bytes, 0, bytes.length);
        stack.receive(now, REMOTE, LOCAL, b);
    }

    /** Takes every segment sent so far; fails if there is none. Returns the last. */
    SentSegment drainLast() {
        SentSegment last = null;
        for (SentSegment s; (s = sent.poll()) != null; ) {
            last = s;
        }
        assertNotNull(last, "expected segments, the stack sent none");
        return last;
    }

    /** A segment from the peer (port {@link #PEER_PORT}) to {@code localPort}. */
    static TcpRepr seg(int localPort, int seq, int ack, int flags) {
        return TcpRepr.of(PEER_PORT, localPort, seq, ack, flags, PEER_WINDOW);
    }

    static TcpRepr seg(int localPort, int seq, int ack, int flags, int window) {
        return TcpRepr.of(PEER_PORT, localPort, seq, ack, flags, window);
    }

    // ------------------------------------------------------------------ expecting

    /** The next segment the stack sent, after every checker passed on it. */
    SentSegment expect(Checker... checkers) {
        SentSegment s = sent.poll();
        assertNotNull(s, "expected a segment, the stack sent none");
        for (Checker c : checkers) {
            c.check(s);
        }
        return s;
    }

    void expectNothing() {
        assertNull(sent.peek(), "expected no segment");
    }

    // ------------------------------------------------------------------ time

    /** Moves the clock forward by {@code d}, firing every timer that falls due on the way. */
    void advance(Duration d) {
        long until = now + d.toNanos();
        while (true) {
            long next = stack.nextDeadline();
            if (next > until) {
                break;
            }
            now = Math.max(now, next);
            stack.onTimer(now);
        }
        now = until;
        stack.setTime(now);
    }

    /** Moves the clock to the next deadline and fires it; returns how far it moved. */
    Duration advanceToNextDeadline() {
        long next = stack.nextDeadline();
        if (next == Long.MAX_VALUE) {
            fail("no timer is running");
        }
        long from = now;
        now = Math.max(now, next);
        stack.onTimer(now);
        return Duration.ofNanos(now - from);
    }

    // ------------------------------------------------------------------ handshakes

    /** Active open with a plain SYN-ACK carrying only MSS 1460. */
    TcpConnection connectPlain() {
        stack.setTime(now);
        TcpConnection c = stack.connect(now, LOCAL, 50000, REMOTE, PEER_PORT, recorder);
        SentSegment syn = expect(Checker.flags(Checker.SYN));
        isn = syn.seq();
        inject(TcpRepr.of(PEER_PORT, 50000, PEER_ISN, isn + 1, Checker.SYN | Checker.ACK, PEER_WINDOW).withMss(1460));
        expect(Checker.flags(Checker.ACK), Checker.seq(isn + 1), Checker.ack(PEER_ISN + 1));
        assertEquals(TcpState.ESTABLISHED, c.state());
        return c;
    }

    /** Passive open: the stack listens, the peer's SYN (MSS 1460 only) and ACK complete it. */
    TcpConnection acceptPlain() {
        return accept(syn -> syn.withMss(1460));
    }

    /**
     * Passive open on {@link #LISTEN_PORT}: the peer's SYN carries the options {@code synOptions}
     * adds; the peer's ACK completes the handshake (echoing our timestamp if one was agreed).
     */
    TcpConnection accept(java.util.function.UnaryOperator<TcpRepr> synOptions) {
        stack.listen(0, LISTEN_PORT, c -> recorder);
        inject(synOptions.apply(seg(LISTEN_PORT, PEER_ISN, 0, Checker.SYN)));
        SentSegment synAck = expect(Checker.flags(Checker.SYN | Checker.ACK), Checker.ack(PEER_ISN + 1));
        isn = synAck.seq();
        TcpRepr ack = seg(LISTEN_PORT, PEER_ISN + 1, isn + 1, Checker.ACK);
        if (synAck.header().timestamps().isPresent()) {
            ack = ack.withTimestamps(peerTsVal, synAck.tsVal());
        }
        inject(ack);
        expectNothing();
        TcpConnection c = stack.connection(LOCAL, LISTEN_PORT, REMOTE, PEER_PORT);
        assertNotNull(c, "connection after the handshake");
        assertEquals(TcpState.ESTABLISHED, c.state());
        return c;
    }

    /** The peer's timestamp clock, for tests that agree on timestamps. */
    int peerTsVal = 1000;

    @Override
    public void close() {
        stack.shutdown(now);
        sent.clear();
        assertEquals(0, stack.counters().internalErrors(), "engine errors");
        pool.assertNoLeaks();
        pool.close();
    }

    /** Records a connection's events and, if asked, reads everything that arrives. */
    static final class Recorder implements TcpHandler {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean autoRead = true;
        CloseReason reason;

        @Override
        public void connected(TcpConnection c) {
            events.add("connected");
        }

        @Override
        public void readable(TcpConnection c) {
            events.add("readable");
            if (autoRead) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = c.read(MemorySegment.ofArray(buf))) > 0) {
                    received.write(buf, 0, n);
                }
            }
        }

        @Override
        public void writable(TcpConnection c) {
            events.add("writable");
        }

        @Override
        public void peerClosed(TcpConnection c) {
            events.add("peerClosed");
        }

        @Override
        public void closed(TcpConnection c, CloseReason r) {
            events.add("closed:" + r);
            reason = r;
        }
    }
}
