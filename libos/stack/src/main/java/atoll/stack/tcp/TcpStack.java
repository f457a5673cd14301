package atoll.stack.tcp;

import atoll.stack.wire.SeqNumber;

import atoll.stack.wire.TcpHeader;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP layer of one host, sans-I/O (DESIGN §5): segments and the current time go in through
 * {@link #receive}, {@link #onTimer} and the application's calls; segments leave through the
 * {@link Output} given at construction; {@link #nextDeadline()} says when to call {@link #onTimer}
 * next. No threads, sockets, sleeps or clocks inside: one thread drives a stack.
 *
 * <p>Addresses are IPv4 addresses as {@code int}s (network order read big-endian). The stack
 * verifies and computes checksums over the pseudo-header, demultiplexes by 4-tuple, answers for
 * listeners (with SYN cookies once a backlog is full) and resets segments for nobody.
 *
 * <p>Buffers: {@link #receive} takes ownership of the segment's buffer. Segments handed to
 * {@link Output#transmit} belong to the output. Buffers held for the application are released
 * when it reads them ({@link TcpConnection#read}) or when the connection closes.
 */
public final class TcpStack {
    /** Receives every segment the stack sends. */
    @FunctionalInterface
    public interface Output {
        /**
         * Sends one segment from {@code srcAddr} to {@code dstAddr}: the buffer's window is the TCP
         * header and payload, checksum filled in, with the pool's headroom for lower headers. The
         * output owns the buffer and releases it.
         */
        void transmit(int srcAddr, int dstAddr, PooledBuffer segment);
    }

    /** RFC 6335 §6: the dynamic (ephemeral) port range. */
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;
    private static final System.Logger LOG = System.getLogger(TcpStack.class.getName());

    private final TcpConfig config;
    private final BufferPool pool;
    private final Output output;
    private final Entropy random;
    private final SecretHash secret;
    private final SynCookies cookies;
    private final ConnectionTable table = new ConnectionTable();
    private final List<TcpListener> listeners = new ArrayList<>();
    private final TcpHeader header = new TcpHeader();
    private final InboundSegment inbound = new InboundSegment();
    private final OutboundSegment outbound = new OutboundSegment();
    private final ArrayList<TcpConnection> closedPending = new ArrayList<>();
    private TcpConnection[] scratch = new TcpConnection[16];
    final TcpCounters counters = new TcpCounters();
    private long now;

    /**
     * @param pool where outgoing segments are built; its headroom must leave room for a TCP header
     *     (60 bytes) plus every lower layer's
     * @param random ISN/cookie key, timestamp offsets, ephemeral ports, challenge-ACK limits
     */
    public TcpStack(TcpConfig config, BufferPool pool, Output output, Entropy random) {
        if (pool.headroom() < TcpHeader.MAX_LENGTH) {
            throw new IllegalArgumentException("pool headroom " + pool.headroom() + " below a TCP header's 60 bytes");
        }
        if (pool.bufferSize() - pool.headroom() < config.mss()) {
            throw new IllegalArgumentException("pool buffers cannot hold one MSS of payload");
        }
        this.config = config;
        this.pool = pool;
        this.output = output;
        this.random = random;
        byte[] key = new byte[32];
        random.nextBytes(key); // RFC 6528 §3: the secret key, from the injected entropy
        this.secret = new SecretHash(key);
        this.cookies = new SynCookies(secret);
    }

    public TcpConfig config() {
        return config;
    }

    public TcpCounters counters() {
        return counters;
    }

    /** The time of the latest call that carried one. */
    public long now() {
        return now;
    }

    Entropy random() {
        return random;
    }

    OutboundSegment outbound() {
        return outbound;
    }

    /** Live connections (any state but CLOSED). */
    public int connectionCount() {
        return table.size();
    }

    /** The connection with this 4-tuple, or null. */
    public TcpConnection connection(int localAddr, int localPort, int remoteAddr, int remotePort) {
        return table.get(localAddr, localPort, remoteAddr, remotePort);
    }

    // ------------------------------------------------------------------ application calls

    /**
     * RFC 9293 §3.10.1 passive OPEN on {@code localAddr} (0 for any address) and {@code port}.
     *
     * @throws IllegalStateException if something already listens there
     */
    public TcpListener listen(int localAddr, int port, TcpListenHandler handler) {
        for (TcpListener l : listeners) {
            if (l.localPort == port && l.localAddr == localAddr) {
                throw new IllegalStateException("already listening on port " + port);
            }
        }
        TcpListener l = new TcpListener(this, localAddr, port, handler, null);
        listeners.add(l);
        return l;
    }

    /**
     * A transparent passive open: takes connections to <em>any</em> address and port that no other
     * listener or connection takes, each as its own connection whose local address and port are
     * the ones the peer asked for (segments leave from them). For a gateway terminating the flows
     * that pass through it (its IPv4 layer delivering every destination, see
     * {@code Ipv4Engine.acceptAnyDestination}). {@code admission} decides per SYN; a refused SYN
     * is reset as for a closed port.
     *
     * @throws IllegalStateException if a transparent listener exists already
     */
    public TcpListener listenTransparent(TcpAdmission admission, TcpListenHandler handler) {
        java.util.Objects.requireNonNull(admission);
        for (TcpListener l : listeners) {
            if (l.admission != null) {
                throw new IllegalStateException("a transparent listener exists already");
            }
        }
        TcpListener l = new TcpListener(this, 0, -1, handler, admission);
        listeners.add(l);
        return l;
    }

    void unlisten(TcpListener l) {
        listeners.remove(l);
    }

    /**
     * RFC 9293 §3.10.1 active OPEN: sends a SYN now. {@code localPort} 0 picks a free ephemeral
     * port at random (RFC 6056). Events arrive at {@code handler}.
     *
     * @throws IllegalStateException if the 4-tuple is in use or no ephemeral port is free
     */
    public TcpConnection connect(long now, int localAddr, int localPort, int remoteAddr, int remotePort,
            TcpHandler handler) {
        this.now = now;
        if (localPort == 0) {
            localPort = ephemeralPort(localAddr, remoteAddr, remotePort);
        } else if (table.get(localAddr, localPort, remoteAddr, remotePort) != null) {
            throw new IllegalStateException("4-tuple in use");
        }
        TcpConnection c = new TcpConnection(this, localAddr, localPort, remoteAddr, remotePort, handler, null, now);
        table.put(c);
        c.openActive(now, secret.isn(now, localAddr, localPort, remoteAddr, remotePort));
        dispatch(c);
        return c;
    }

    private int ephemeralPort(int localAddr, int remoteAddr, int remotePort) {
        int start = random.nextInt(EPHEMERAL_COUNT);
        for (int i = 0; i < EPHEMERAL_COUNT; i++) {
            int port = EPHEMERAL_FIRST + (start + i) % EPHEMERAL_COUNT;
            if (table.get(localAddr, port, remoteAddr, remotePort) == null && !isListening(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free ephemeral port");
    }

    private boolean isListening(int port) {
        for (TcpListener l : listeners) {
            if (l.localPort == port) {
                return true;
            }
        }
        return false;
    }

    /** Called by a connection after an application call: send what is due and deliver events. */
    void afterUserCall(TcpConnection c) {
        if (c.state != TcpState.CLOSED) {
            guarded(c, () -> c.flush(now));
        }
        dispatch(c);
    }

    // ------------------------------------------------------------------ arriving segments

    /**
     * One TCP segment from {@code srcAddr} to {@code dstAddr} (the IP layer has checked those are
     * ours); the buffer's window is the TCP header and payload. Takes ownership of the buffer.
     * Never throws: bad segments are counted and dropped.
     */
    public void receive(long now, int srcAddr, int dstAddr, PooledBuffer segment) {
        this.now = now;
        boolean kept = false;
        TcpConnection c = null;
        try {
            counters.segmentsReceived++;
            // RFC 9293 §3.1: the checksum covers the pseudo-header, header and data; the view
            // checks it together with the data offset and the options.
            Verdict v = header.check(segment, srcAddr, dstAddr);
            if (v != Verdict.OK) {
                if (v == Verdict.BAD_CHECKSUM) {
                    counters.badChecksum++;
                } else {
                    counters.malformed++;
                }
                return;
            }
            InboundSegment s = inbound;
            s.load(header);
            c = table.get(dstAddr, s.dstPort, srcAddr, s.srcPort);
            if (c != null && c.state == TcpState.TIME_WAIT && s.has(TcpHeader.SYN) && !s.has(TcpHeader.ACK_FLAG)
                    && reopensTimeWait(c, s)) {
                // RFC 9293 §3.10.7.4 / RFC 6191: a new SYN may end TIME-WAIT early if it is
                // clearly newer than the old connection.
                c.toClosed(CloseReason.NORMAL);
                dispatch(c);
                c = null;
            }
            segment.consumeHeader(HeaderLayer.TRANSPORT, s.headerLength);
            if (c != null) {
                TcpConnection conn = c;
                PooledBuffer payload = segment;
                kept = guardedArrive(conn, s, payload);
                dispatch(conn);
                return;
            }
            TcpListener l = findListener(dstAddr, s.dstPort);
            if (l != null) {
                c = listenerArrived(now, l, s, srcAddr, dstAddr, segment);
                if (c != null) {
                    kept = guardedArrive(c, s, segment);
                    dispatch(c);
                }
                return;
            }
            counters.noConnection++;
            resetForNobody(s, srcAddr, dstAddr);
        } catch (RuntimeException e) {
            counters.internalErrors++;
            LOG.log(System.Logger.Level.ERROR, "TCP engine error; connection aborted", e);
            if (c != null) {
                c.toClosed(CloseReason.ABORTED);
                dispatch(c);
            }
        } finally {
            if (!kept && segment.isLive()) {
                segment.release();
            }
        }
    }

    private boolean guardedArrive(TcpConnection c, InboundSegment s, PooledBuffer payload) {
        return c.segmentArrived(now, s, payload);
    }

    private static boolean reopensTimeWait(TcpConnection c, InboundSegment s) {
        if (c.tsOk && s.hasTimestamps) {
            return SeqNumber.lt(c.tsRecent(), s.tsVal); // RFC 6191 §2: a newer timestamp
        }
        return SeqNumber.lt(c.rcvNxt, s.seq);
    }

    private TcpListener findListener(int addr, int port) {
        TcpListener any = null;
        TcpListener transparent = null;
        for (int i = 0; i < listeners.size(); i++) {
            TcpListener l = listeners.get(i);
            if (l.admission != null) {
                transparent = l;
            } else if (l.localPort == port) {
                if (l.localAddr == addr) {
                    return l;
                }
                if (l.localAddr == 0) {
                    any = l;
                }
            }
        }
        return any != null ? any : transparent;
    }

    /**
     * RFC 9293 §3.10.7.2, LISTEN. Returns a new connection that should go on to process the
     * segment (an ACK carrying a valid SYN cookie), or null when the segment was fully handled.
     */
    private TcpConnection listenerArrived(long now, TcpListener l, InboundSegment s, int srcAddr, int dstAddr,
            PooledBuffer payload) {
        if (s.has(TcpHeader.RST)) {
            return null; // "An incoming RST should be ignored"
        }
        if (l.admission != null && (s.has(TcpHeader.SYN) || s.has(TcpHeader.ACK_FLAG))
                && !l.admission.admits(srcAddr, s.srcPort, dstAddr, s.dstPort)) {
            counters.refusedByAdmission++;
            counters.noConnection++;
            resetForNobody(s, srcAddr, dstAddr);
            return null;
        }
        if (s.has(TcpHeader.ACK_FLAG)) {
            if (!s.has(TcpHeader.SYN)) {
                int mss = cookies.check(now, dstAddr, s.dstPort, srcAddr, s.srcPort, s.seq - 1, s.ack - 1);
                if (mss > 0) {
                    counters.synCookiesAccepted++;
                    TcpConnection c = new TcpConnection(this, dstAddr, s.dstPort, srcAddr, s.srcPort, null, l, now);
                    table.put(c);
                    c.openFromCookie(now, s, s.ack - 1, mss);
                    return c;
                }
            }
            // "Any acknowledgment is bad if it arrives on a connection still in the LISTEN state.
            // An acceptable reset segment should be formed ... <SEQ=SEG.ACK><CTL=RST>".
            sendReset(dstAddr, srcAddr, s.dstPort, s.srcPort, s.ack, 0, TcpHeader.RST);
            return null;
        }
        if (!s.has(TcpHeader.SYN)) {
            return null; // "Any other control or text-bearing segment ... drop it and return"
        }
        if (l.halfOpen >= config.listenBacklog()) {
            synCookie(now, s, srcAddr, dstAddr);
            return null;
        }
        TcpConnection c = new TcpConnection(this, dstAddr, s.dstPort, srcAddr, s.srcPort, null, l, now);
        table.put(c);
        l.halfOpen++;
        c.openPassive(now, s, secret.isn(now, dstAddr, s.dstPort, srcAddr, s.srcPort));
        return null; // data on a SYN is not queued (RFC 9293 allows dropping it; the peer resends)
    }

    private void synCookie(long now, InboundSegment s, int srcAddr, int dstAddr) {
        int peerMss = s.mss >= 0 ? s.mss : TcpConfig.DEFAULT_MSS_IPV4;
        int cookie = cookies.make(now, dstAddr, s.dstPort, srcAddr, s.srcPort, s.seq, peerMss);
        OutboundSegment o = outbound;
        o.reset();
        o.srcPort = s.dstPort;
        o.dstPort = s.srcPort;
        o.seq = cookie;
        o.ack = s.seq + 1;
        o.flags = TcpHeader.SYN | TcpHeader.ACK_FLAG;
        o.window = Math.min(config.initialReceiveWindow(), 0xFFFF);
        o.mss = config.mss();
        counters.synCookiesSent++;
        send(dstAddr, srcAddr, o);
    }

    /** RFC 9293 §3.10.7.1: a segment for a CLOSED port is answered with a reset (unless it is one). */
    private void resetForNobody(InboundSegment s, int srcAddr, int dstAddr) {
        if (s.has(TcpHeader.RST)) {
            return;
        }
        if (s.has(TcpHeader.ACK_FLAG)) {
            sendReset(dstAddr, srcAddr, s.dstPort, s.srcPort, s.ack, 0, TcpHeader.RST);
        } else {
            sendReset(dstAddr, srcAddr, s.dstPort, s.srcPort, 0, s.seq + s.segLen(), TcpHeader.RST | TcpHeader.ACK_FLAG);
        }
    }

    void sendReset(int localAddr, int remoteAddr, int localPort, int remotePort, int seq, int ack, int flags) {
        OutboundSegment o = outbound;
        o.reset();
        o.srcPort = localPort;
        o.dstPort = remotePort;
        o.seq = seq;
        o.ack = ack;
        o.flags = flags;
        o.window = 0;
        counters.resetsSent++;
        send(localAddr, remoteAddr, o);
    }

    /**
     * An ICMP destination unreachable about a segment we sent (RFC 1122 §4.2.3.9: codes 2-4 are
     * hard errors). Protocol or port unreachable about an opening connection (SYN-SENT) whose SYN
     * is quoted exactly refuses it. Everything else, and any
     * error about a synchronized connection, is soft and ignored: RFC 5927 §4 (blind ICMP
     * attacks) and RFC 1122 §4.2.3.9 ("MUST NOT abort" on soft errors).
     */
    public void destinationUnreachable(long now, int localAddr, int localPort, int remoteAddr, int remotePort,
            int quotedSeq, int code) {
        this.now = now;
        TcpConnection c = table.get(localAddr, localPort, remoteAddr, remotePort);
        if (c == null || c.state != TcpState.SYN_SENT || quotedSeq != c.iss) {
            return;
        }
        if (code == Icmpv4Message.PROTOCOL_UNREACHABLE || code == Icmpv4Message.PORT_UNREACHABLE) {
            c.toClosed(CloseReason.REFUSED);
            dispatch(c);
        }
    }

    // ------------------------------------------------------------------ sending

    /**
     * Builds a connection's segment: payload {@code len} bytes from {@code data} at {@code offset},
     * then the header. Returns false if the pool had no buffer.
     */
    boolean transmit(TcpConnection c, OutboundSegment o, SendBuffer data, int offset, int len) {
        PooledBuffer b = pool.tryAcquire();
        if (b == null) {
            counters.transmitDropped++;
            return false;
        }
        if (len > 0) {
            int at = b.end();
            b.append(len);
            data.copyTo(offset, len, b.memory(), at);
        }
        o.srcPort = c.localPort;
        o.dstPort = c.remotePort;
        o.writeHeader(b, c.localAddr, c.remoteAddr);
        counters.segmentsSent++;
        output.transmit(c.localAddr, c.remoteAddr, b);
        return true;
    }

    private void send(int srcAddr, int dstAddr, OutboundSegment o) {
        PooledBuffer b = pool.tryAcquire();
        if (b == null) {
            counters.transmitDropped++;
            return;
        }
        o.writeHeader(b, srcAddr, dstAddr);
        counters.segmentsSent++;
        output.transmit(srcAddr, dstAddr, b);
    }

    // ------------------------------------------------------------------ timers

    /** When {@link #onTimer} must next be called (nanoseconds, same clock as {@code now}), or
     * {@code Long.MAX_VALUE} if no timer runs. */
    public long nextDeadline() {
        long min = Long.MAX_VALUE;
        scratch = table.snapshot(scratch);
        for (TcpConnection c : scratch) {
            if (c == null) {
                break;
            }
            min = Math.min(min, c.deadline());
        }
        return min;
    }

    /** Fires every timer due at {@code now}. Never throws. */
    public void onTimer(long now) {
        this.now = now;
        scratch = table.snapshot(scratch);
        for (int i = 0; i < scratch.length && scratch[i] != null; i++) {
            TcpConnection c = scratch[i];
            scratch[i] = null;
            if (c.deadline() <= now) {
                guarded(c, () -> c.onTimer(now));
                dispatch(c);
            }
        }
    }

    /** Advances the stack's notion of time without firing timers (for application calls). */
    public void setTime(long now) {
        this.now = now;
    }

    // ------------------------------------------------------------------ events and closing

    void closed(TcpConnection c) {
        table.remove(c);
        closedPending.add(c);
    }

    private void guarded(TcpConnection c, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            counters.internalErrors++;
            LOG.log(System.Logger.Level.ERROR, "TCP engine error; connection aborted", e);
            c.toClosed(CloseReason.ABORTED);
        }
    }

    /** Delivers a connection's pending events, then finishes connections that closed. */
    private void dispatch(TcpConnection c) {
        int ev = c.pendingEvents;
        if (ev != 0) {
            c.pendingEvents = 0;
            try {
                if ((ev & TcpConnection.EV_CONNECTED) != 0 && c.handler == null && c.listener != null) {
                    TcpHandler h = c.listener.closed ? null : c.listener.handler.accepted(c);
                    if (h == null) {
                        c.abort();
                        ev = 0;
                    }
                    c.handler = h;
                }
                TcpHandler h = c.handler;
                if (h != null) {
                    if ((ev & TcpConnection.EV_CONNECTED) != 0) {
                        h.connected(c);
                    }
                    if ((ev & TcpConnection.EV_READABLE) != 0 && c.readableBytes() > 0) {
                        h.readable(c);
                    }
                    if ((ev & TcpConnection.EV_WRITABLE) != 0 && c.state != TcpState.CLOSED) {
                        h.writable(c);
                    }
                    if ((ev & TcpConnection.EV_PEER_CLOSED) != 0) {
                        h.peerClosed(c);
                    }
                    if ((ev & TcpConnection.EV_CLOSED) != 0) {
                        h.closed(c, c.closeReason);
                    }
                }
            } catch (RuntimeException e) {
                counters.internalErrors++;
                LOG.log(System.Logger.Level.ERROR, "TCP handler threw; connection aborted", e);
                if (c.state != TcpState.CLOSED) {
                    c.abort();
                }
            }
        }
        for (int i = closedPending.size() - 1; i >= 0; i--) {
            TcpConnection done = closedPending.get(i);
            if (done.pendingEvents == 0) {
                done.releaseBuffers();
                closedPending.remove(i);
            }
        }
    }

    /** Aborts every connection (sending RST where synchronized) and releases every held buffer. */
    public void shutdown(long now) {
        this.now = now;
        scratch = table.snapshot(scratch);
        for (int i = 0; i < scratch.length && scratch[i] != null; i++) {
            TcpConnection c = scratch[i];
            scratch[i] = null;
            c.abort();
        }
        listeners.clear();
        for (TcpConnection c : closedPending) {
            c.releaseBuffers();
        }
        closedPending.clear();
    }

    static String formatAddr(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }
}
