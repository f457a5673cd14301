package atoll.stack.tcp;

import atoll.stack.wire.SeqNumber;
import atoll.stack.wire.TcpHeader;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * One TCP connection (RFC 9293): its transmission control block and the state machine that
 * processes arriving segments (§3.10.7), user calls (§3.10.1–§3.10.6) and timeouts (§3.10.8).
 * Created by {@link TcpStack#connect} (active open) or by a {@link TcpListener} (passive open);
 * driven only by its stack, on the stack's thread. Sans-I/O: segments go out through the stack's
 * {@link TcpStack.Output}, time is the {@code now} of the stack call in progress.
 */
public final class TcpConnection {
    static final long NEVER = Long.MAX_VALUE;
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long ONE_SECOND = 1_000_000_000L;
    /** RFC 6298 §5.7: RTO re-initialised to 3 s when data starts after a retransmitted SYN. */
    private static final long RTO_AFTER_SYN_RETRANSMIT = 3 * ONE_SECOND;
    /** RFC 7323 §5.5: a TS.Recent idle for 24 days is invalid for PAWS. */
    private static final long PAWS_IDLE = 24L * 24 * 3600 * ONE_SECOND;
    /** RFC 5961 §7: per-connection challenge ACK budget per second is drawn from [MIN, MIN+SPREAD]. */
    private static final int CHALLENGE_ACK_MIN = 5;
    private static final int CHALLENGE_ACK_SPREAD = 5;
    /** Held out-of-order segments per connection before newcomers are dropped. */
    private static final int MAX_OUT_OF_ORDER = 1024;

    static final int EV_CONNECTED = 1;
    static final int EV_READABLE = 2;
    static final int EV_WRITABLE = 4;
    static final int EV_PEER_CLOSED = 8;
    static final int EV_CLOSED = 16;

    final TcpStack stack;
    private final TcpConfig cfg;
    final int localAddr;
    final int localPort;
    final int remoteAddr;
    final int remotePort;
    TcpHandler handler;
    TcpListener listener; // passive open, until accepted
    TcpState state = TcpState.CLOSED;
    private boolean nagle;

    // --- send sequence variables (RFC 9293 §3.3.1) ---
    int iss;
    int sndUna;
    int sndNxt;
    /** Highest sequence number sent plus one (sndNxt can go back after a timeout). */
    int sndMax;
    int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int maxSndWnd;
    /** Sequence number of the send buffer's first byte. */
    private int sndBufSeq;
    private final SendBuffer sendBuf;
    private boolean finQueued;
    private boolean finSent;
    private int finSeq;
    int sndMss;
    int sndShift;
    int rcvShift;
    private boolean wsOk;
    boolean tsOk;
    boolean sackOk;
    private int tsRecent;
    private long tsRecentAt;
    private final int tsOffset;
    private int lastAckSent;

    // --- receive sequence variables ---
    int irs;
    int rcvNxt;
    /** RCV.NXT + RCV.WND as last advertised; never moved left (RFC 9293 §3.8.6.2.2). */
    private int rcvRight;
    private int rcvTarget;
    private final ReceiveBuffer rcvBuf;
    private boolean peerFinPending;
    private int peerFinSeq;
    private boolean peerFinReceived;
    private long rcvMarkTime;
    private long rcvCopiedSinceMark;
    private long rcvRtt = -1;

    // --- timers (absolute nanoseconds; NEVER when off) ---
    private long rtxAt = NEVER;
    private boolean persist;
    private long delAckAt = NEVER;
    private long keepAliveAt = NEVER;
    private long timeWaitAt = NEVER;
    private int retries;
    private int keepAliveProbes;
    private boolean synRetransmitted;
    private boolean ackSinceProbe;
    private boolean probing;

    final RttEstimator rtt;
    final CongestionControl cc;
    private final SackScoreboard scoreboard = new SackScoreboard();
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;

    // --- loss recovery (RFC 6582 without SACK, RFC 6675 with it) ---
    boolean inRecovery;
    private int recoveryPoint;
    private int highRxt;
    private int dupAcks;
    /** RFC 3042 limited transmit: how far past cwnd the first two duplicate ACKs let new data go. */
    private int limitedTransmit;

    private int unackedSegments;
    private boolean ackNow;

    int pendingEvents;
    private boolean wantWritable;
    CloseReason closeReason;

    private long challengeWindowStart = Long.MIN_VALUE;
    private int challengeBudget;

    TcpConnection(TcpStack stack, int localAddr, int localPort, int remoteAddr, int remotePort,
            TcpHandler handler, TcpListener listener, long now) {
        this.stack = stack;
        this.cfg = stack.config();
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.remoteAddr = remoteAddr;
        this.remotePort = remotePort;
        this.handler = handler;
        this.listener = listener;
        this.nagle = cfg.nagle();
        this.sendBuf = new SendBuffer(cfg.sendBuffer());
        this.rcvBuf = new ReceiveBuffer(MAX_OUT_OF_ORDER);
        this.rcvTarget = cfg.initialReceiveWindow();
        this.rtt = new RttEstimator(cfg.minRto().toNanos(), cfg.maxRto().toNanos());
        this.cc = CongestionControl.of(cfg.congestionControl(), cfg.mss());
        // RFC 7323 §7.1: a random offset per connection keeps TSval from leaking uptime.
        this.tsOffset = (int) stack.random().nextLong();
        this.sndMss = TcpConfig.DEFAULT_MSS_IPV4;
        this.rcvMarkTime = now;
    }

    // ------------------------------------------------------------------ public API

    public TcpState state() {
        return state;
    }

    public int localAddress() {
        return localAddr;
    }

    public int localPort() {
        return localPort;
    }

    public int remoteAddress() {
        return remoteAddr;
    }

    public int remotePort() {
        return remotePort;
    }

    /** The handler serving this connection (null for a passive open not yet accepted). */
    public TcpHandler handler() {
        return handler;
    }

    /** In-order bytes waiting to be read. */
    public int readableBytes() {
        return rcvBuf.inOrderBytes();
    }

    /** Bytes the send buffer can take now. */
    public int writableBytes() {
        return state.canSend() || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED
                ? (finQueued ? 0 : sendBuf.free()) : 0;
    }

    /** Bytes written and not yet acknowledged by the peer. */
    public int unacknowledgedBytes() {
        return sendBuf.length();
    }

    /** The send MSS in use (RFC 9293 §3.7.1 Eff.snd.MSS). */
    public int sendMss() {
        return sndMss;
    }

    /** The receive window the connection currently aims to offer (grows with the reading). */
    public int receiveWindowTarget() {
        return rcvTarget;
    }

    /** True once the peer's FIN has arrived in order. */
    public boolean peerHasClosed() {
        return peerFinReceived;
    }

    /** Why the connection closed, or null while it is open. */
    public CloseReason closeReason() {
        return closeReason;
    }

    /** Switches Nagle's algorithm (RFC 9293 §3.7.4) for this connection. */
    public void setNagle(boolean on) {
        nagle = on;
        if (!on) {
            stack.afterUserCall(this);
        }
    }

    /**
     * Queues as many of {@code src}'s bytes as the send buffer takes and sends what the windows
     * allow. Returns the count taken; when short, {@link TcpHandler#writable} follows once there
     * is room. RFC 9293 §3.10.2: data written before the handshake completes is queued.
     *
     * @throws IllegalStateException after {@link #close()} or once the connection is closed
     */
    public int write(MemorySegment src) {
        return write(src, 0, src.byteSize());
    }

    /** {@link #write(MemorySegment)} of {@code length} bytes at {@code offset} in {@code src} (no slice allocated). */
    public int write(MemorySegment src, long offset, long length) {
        if (finQueued || !(state.canSend() || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)) {
            throw new IllegalStateException("connection closing: " + state);
        }
        java.util.Objects.checkFromIndexSize(offset, length, src.byteSize());
        int n = sendBuf.write(src, offset, length);
        if (n < length) {
            wantWritable = true;
        }
        if (n > 0) {
            stack.afterUserCall(this);
        }
        return n;
    }

    /** {@link #write(MemorySegment)} for heap bytes. */
    public int write(byte[] bytes, int offset, int length) {
        return write(MemorySegment.ofArray(bytes).asSlice(offset, length));
    }

    /** Copies up to {@code dst.byteSize()} received bytes into {@code dst}; returns the count. */
    public int read(MemorySegment dst) {
        int n = rcvBuf.read(dst);
        if (n > 0) {
            afterRead(n);
        }
        return n;
    }

    /**
     * Hands over the next received in-order buffer without copying; its window is the payload.
     * The caller owns it and releases it. Null when nothing is buffered.
     */
    public PooledBuffer readBuffer() {
        PooledBuffer b = rcvBuf.poll();
        if (b != null) {
            afterRead(b.length());
        }
        return b;
    }

    /**
     * RFC 9293 §3.10.4 CLOSE: no more data will be sent; a FIN follows the queued bytes. Reading
     * goes on until the peer closes too.
     */
    public void close() {
        switch (state) {
            case SYN_SENT -> toClosed(CloseReason.NORMAL);
            case SYN_RECEIVED, ESTABLISHED -> {
                queueFin();
                state = TcpState.FIN_WAIT_1;
            }
            case CLOSE_WAIT -> {
                queueFin();
                state = TcpState.LAST_ACK;
            }
            default -> {
                return; // already closing
            }
        }
        stack.afterUserCall(this);
    }

    /** RFC 9293 §3.10.5 ABORT: sends RST (in synchronized states) and closes at once. */
    public void abort() {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
            stack.sendReset(localAddr, remoteAddr, localPort, remotePort, sndNxt, rcvNxt, TcpHeader.RST | TcpHeader.ACK_FLAG);
        }
        toClosed(CloseReason.ABORTED);
        stack.afterUserCall(this);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + TcpStack.formatAddr(localAddr) + ":" + localPort + " -> "
                + TcpStack.formatAddr(remoteAddr) + ":" + remotePort + " " + state + "]";
    }

    int tsRecent() {
        return tsRecent;
    }

    // ------------------------------------------------------------------ opening

    void openActive(long now, int isn) {
        iss = isn;
        recoveryPoint = iss;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sndBufSeq = iss + 1;
        state = TcpState.SYN_SENT;
        rttStart = now;
        sendSyn(now, false);
        rtxAt = now + rtt.rto();
    }

    /** A SYN arrived at a listener: RFC 9293 §3.10.7.2 third check. */
    void openPassive(long now, InboundSegment s, int isn) {
        iss = isn;
        recoveryPoint = iss;
        irs = s.seq;
        rcvNxt = s.seq + 1;
        negotiate(s);
        sndWnd = s.window; // RFC 7323 §2.2: the window of a SYN is never scaled
        maxSndWnd = sndWnd;
        sndWl1 = s.seq;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sndBufSeq = iss + 1;
        state = TcpState.SYN_RECEIVED;
        sendSyn(now, true);
        rtxAt = now + rtt.rto();
        touchKeepAlive(now);
    }

    /** An ACK carried a valid SYN cookie: the connection starts ESTABLISHED (RFC 4987 §3.6). */
    void openFromCookie(long now, InboundSegment s, int isn, int mss) {
        iss = isn;
        recoveryPoint = iss;
        irs = s.seq - 1;
        rcvNxt = s.seq;
        sndMss = Math.min(mss, cfg.mss());
        rcvTarget = Math.min(rcvTarget, 0xFFFF); // no window scaling on a cookie connection
        sndUna = iss + 1;
        sndNxt = sndUna;
        sndMax = sndUna;
        sndBufSeq = sndUna;
        sndWnd = s.window;
        maxSndWnd = sndWnd;
        sndWl1 = s.seq;
        sndWl2 = s.ack;
        rcvRight = rcvNxt + Math.min(rcvTarget, 0xFFFF);
        state = TcpState.ESTABLISHED;
        pendingEvents |= EV_CONNECTED;
        touchKeepAlive(now);
    }

    private void negotiate(InboundSegment s) {
        // RFC 9293 §3.7.1: without the MSS option the peer takes 536 (IPv4).
        int peerMss = s.mss >= 0 ? s.mss : TcpConfig.DEFAULT_MSS_IPV4;
        tsOk = cfg.timestamps() && s.hasTimestamps;
        sackOk = cfg.sack() && s.sackPermitted;
        if (cfg.windowScaling() && s.windowScale >= 0) {
            wsOk = true;
            // RFC 7323 §2.3: "MUST use 14 instead of the specified value" when it is larger.
            sndShift = Math.min(s.windowScale, 14);
            rcvShift = cfg.receiveWindowShift();
        } else {
            wsOk = false;
            sndShift = 0;
            rcvShift = 0;
        }
        if (tsOk) {
            tsRecent = s.tsVal;
            tsRecentAt = stack.now();
        }
        // RFC 9293 §3.7.1: Eff.snd.MSS counts the options every segment carries (timestamps).
        sndMss = Math.max(64, Math.min(peerMss, cfg.mss()) - (tsOk ? 12 : 0));
        if (!wsOk && rcvTarget > 0xFFFF) {
            rcvTarget = 0xFFFF;
        }
    }

    private void sendSyn(long now, boolean withAck) {
        OutboundSegment o = stack.outbound();
        o.reset();
        o.seq = iss;
        o.ack = withAck ? rcvNxt : 0;
        o.flags = TcpHeader.SYN | (withAck ? TcpHeader.ACK_FLAG : 0);
        o.window = Math.min(rcvTarget, 0xFFFF);
        o.mss = cfg.mss();
        if (withAck) {
            o.windowScale = wsOk ? rcvShift : -1;
            o.sackPermitted = sackOk;
            setTimestamps(o, now, tsOk);
            rcvRight = rcvNxt + o.window;
            lastAckSent = rcvNxt;
        } else {
            o.windowScale = cfg.windowScaling() ? cfg.receiveWindowShift() : -1;
            o.sackPermitted = cfg.sack();
            setTimestamps(o, now, cfg.timestamps());
        }
        stack.transmit(this, o, null, 0, 0);
    }

    private void setTimestamps(OutboundSegment o, long now, boolean on) {
        if (on) {
            o.timestamps = true;
            o.tsVal = tsValue(now);
            o.tsEcr = tsRecent;
        }
    }

    /** RFC 7323 §5.4: a timestamp clock ticking once per millisecond, offset per connection. */
    private int tsValue(long now) {
        return (int) (now / NANOS_PER_MS) + tsOffset;
    }

    // ------------------------------------------------------------------ arriving segments

    /**
     * Processes one arriving segment whose buffer window is its payload. Returns true if the
     * connection kept the buffer (queued its payload); otherwise the caller releases it.
     */
    boolean segmentArrived(long now, InboundSegment s, PooledBuffer payload) {
        touchKeepAlive(now);
        if (state == TcpState.SYN_SENT) {
            synSentArrived(now, s);
            return false;
        }
        // RFC 9293 §3.10.7.4, first: check the sequence number, with RFC 7323 §5.3 PAWS before it.
        if (tsOk && s.hasTimestamps && !s.has(TcpHeader.RST)
                && SeqNumber.lt(s.tsVal, tsRecent) && now - tsRecentAt < PAWS_IDLE) {
            stack.counters.pawsRejected++;
            sendAck(now);
            return false;
        }
        if (state == TcpState.SYN_RECEIVED && s.has(TcpHeader.SYN) && !s.has(TcpHeader.ACK_FLAG) && s.seq == irs) {
            sendSyn(now, true); // our SYN-ACK was lost: the peer sent its SYN again
            return false;
        }
        boolean zeroWindowProbe = false;
        if (!acceptable(s)) {
            int wnd = rcvRight - rcvNxt;
            if (wnd <= 0 && s.seq == rcvNxt && !s.has(TcpHeader.RST) && !s.has(TcpHeader.SYN)) {
                // RFC 9293 §3.10.7.4: with a zero window, "special allowance should be made to
                // accept valid ACKs"; the bytes themselves are dropped.
                zeroWindowProbe = true;
            } else {
                stack.counters.outOfWindow++;
                if (state == TcpState.TIME_WAIT && s.has(TcpHeader.FIN)) {
                    timeWaitAt = now + 2 * cfg.msl().toNanos(); // RFC 9293: restart the 2 MSL timeout
                }
                // "If an incoming segment is not acceptable, an acknowledgment should be sent in
                // reply (unless the RST bit is set ...)".
                if (!s.has(TcpHeader.RST)) {
                    sendAck(now);
                }
                return false;
            }
        }
        // Second: the RST bit, with RFC 5961 §3.2 instead of "any RST in the window".
        if (s.has(TcpHeader.RST)) {
            if (state == TcpState.TIME_WAIT) {
                // RFC 1337 §3 (TIME-WAIT assassination): "ignore RST segments in TIME-WAIT state".
                // A duplicate of our last ACK reaching a peer that has already closed draws such
                // a RST; honouring it would end TIME-WAIT early and report a reset.
                return false;
            }
            if (s.seq == rcvNxt) {
                if (state == TcpState.SYN_RECEIVED && listener != null) {
                    toClosed(null); // RFC 9293: a passive open returns to LISTEN, silently
                } else {
                    toClosed(state == TcpState.SYN_RECEIVED ? CloseReason.REFUSED : CloseReason.RESET);
                }
            } else {
                challengeAck(now); // RFC 5961 §3.2: in the window but not exact
            }
            return false;
        }
        // Fourth: SYN in a synchronized state (RFC 5961 §4.2: challenge ACK, drop).
        if (s.has(TcpHeader.SYN)) {
            if (state == TcpState.SYN_RECEIVED && listener != null) {
                toClosed(null); // RFC 9293: return to LISTEN
            } else {
                challengeAck(now);
            }
            return false;
        }
        // Fifth: the ACK field. "if the ACK bit is off, drop the segment and return".
        if (!s.has(TcpHeader.ACK_FLAG)) {
            return false;
        }
        if (tsOk && s.hasTimestamps && SeqNumber.le(s.seq, lastAckSent)
                && SeqNumber.lt(lastAckSent, s.seq + Math.max(1, s.segLen()))) {
            // RFC 7323 §4.3: TS.Recent is taken from the segment that covers Last.ACK.sent.
            tsRecent = s.tsVal;
            tsRecentAt = now;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (!(SeqNumber.lt(sndUna, s.ack) && SeqNumber.le(s.ack, sndMax))) {
                // "If the segment acknowledgment is not acceptable, form a reset segment".
                stack.sendReset(localAddr, remoteAddr, localPort, remotePort, s.ack, 0, TcpHeader.RST);
                return false;
            }
            established();
        }
        if (!processAck(now, s)) {
            return false;
        }
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT && s.segLen() == 0) {
            return false;
        }
        if (zeroWindowProbe) {
            ackNow = true;
            flush(now);
            return false;
        }
        // Sixth: URG is not supported (CONFORMANCE.md); the urgent pointer is ignored.
        // Seventh: the segment text.
        boolean kept = false;
        if (tsOk && s.hasTimestamps && s.tsEcr != 0 && s.payloadLength > 0) {
            long r = now - tsToNanos(s.tsEcr, now);
            rcvRtt = rcvRtt < 0 ? r : (7 * rcvRtt + r) / 8; // for receive-window auto-tuning
        }
        int seq = s.seq;
        int len = payload == null ? 0 : payload.length();
        boolean fin = s.has(TcpHeader.FIN);
        int finAt = s.seq + s.payloadLength;
        if (len > 0 && SeqNumber.lt(seq, rcvNxt)) { // trim what we already have
            int dup = rcvNxt - seq;
            if (dup >= len) {
                len = 0;
                seq = rcvNxt;
            } else {
                payload.consume(dup);
                len -= dup;
                seq = rcvNxt;
            }
        }
        int right = rcvRight;
        if (len > 0 && SeqNumber.lt(right, seq + len)) { // trim what lies beyond the window
            int keep = Math.max(0, right - seq);
            payload.truncate(keep);
            len = keep;
            fin = false;
        }
        if (len > 0) {
            if (state.canReceive()) {
                kept = true;
                if (seq == rcvNxt) {
                    boolean hadHoles = rcvBuf.hasOutOfOrder();
                    rcvBuf.addInOrder(payload);
                    rcvNxt += len;
                    if (hadHoles) {
                        rcvNxt = rcvBuf.drain(rcvNxt);
                        ackNow = true; // RFC 5681 §4.2: ACK at once when a gap is filled
                    }
                    pendingEvents |= EV_READABLE;
                    unackedSegments++;
                    // RFC 9293 §3.8.6.3: "an ACK SHOULD be generated for at least every second
                    // full-sized segment".
                    if (unackedSegments >= 2 || cfg.delayedAck().isZero()) {
                        ackNow = true;
                    } else if (delAckAt == NEVER) {
                        delAckAt = now + cfg.delayedAck().toNanos();
                    }
                } else {
                    if (!rcvBuf.addOutOfOrder(seq, payload)) {
                        stack.counters.outOfOrderDropped++;
                    }
                    ackNow = true; // RFC 5681 §4.2: out-of-order data is acknowledged at once
                }
            } else {
                // CLOSE-WAIT and later: the peer already sent FIN; text is ignored.
                ackNow = true;
            }
        } else if (s.payloadLength > 0) {
            ackNow = true; // all duplicate: tell the peer where we are
        }
        // Eighth: FIN.
        if (fin) {
            if (!peerFinReceived && !peerFinPending) {
                peerFinPending = true;
                peerFinSeq = finAt;
            }
            ackNow = true;
            if (peerFinReceived && state == TcpState.TIME_WAIT) {
                timeWaitAt = now + 2 * cfg.msl().toNanos(); // "Restart the 2 MSL time-wait timeout"
            }
        }
        if (peerFinPending && rcvNxt == peerFinSeq) {
            peerFinArrived(now);
        }
        flush(now);
        return kept;
    }

    /** RFC 9293 §3.10.7.4 segment acceptability: the four cases of the table. */
    private boolean acceptable(InboundSegment s) {
        int wnd = Math.max(0, rcvRight - rcvNxt);
        int len = s.segLen();
        if (len == 0) {
            return wnd == 0 ? s.seq == rcvNxt : SeqNumber.inWindow(s.seq, rcvNxt, wnd);
        }
        if (wnd == 0) {
            return false;
        }
        return SeqNumber.inWindow(s.seq, rcvNxt, wnd) || SeqNumber.inWindow(s.seq + len - 1, rcvNxt, wnd);
    }

    private void synSentArrived(long now, InboundSegment s) {
        // RFC 9293 §3.10.7.3, first: the ACK bit.
        if (s.has(TcpHeader.ACK_FLAG) && (SeqNumber.le(s.ack, iss) || SeqNumber.lt(sndMax, s.ack))) {
            if (!s.has(TcpHeader.RST)) {
                stack.sendReset(localAddr, remoteAddr, localPort, remotePort, s.ack, 0, TcpHeader.RST);
            }
            return;
        }
        // Second: RST. "If the ACK was acceptable, then signal ... 'connection reset', drop the
        // segment, enter CLOSED"; without an ACK, drop (RFC 5961 §3.2 leaves SYN-SENT as is).
        if (s.has(TcpHeader.RST)) {
            if (s.has(TcpHeader.ACK_FLAG)) {
                toClosed(CloseReason.REFUSED);
            }
            return;
        }
        if (!s.has(TcpHeader.SYN)) {
            return;
        }
        irs = s.seq;
        rcvNxt = s.seq + 1;
        rcvRight = rcvNxt + Math.min(rcvTarget, 0xFFFF); // what our SYN offered
        negotiate(s);
        if (s.has(TcpHeader.ACK_FLAG)) {
            sndUna = s.ack;
            sndWnd = s.window; // RFC 7323 §2.2: not scaled in a SYN
            maxSndWnd = sndWnd;
            sndWl1 = s.seq;
            sndWl2 = s.ack;
            if (tsOk && s.tsEcr != 0) {
                rtt.sample(now - tsToNanos(s.tsEcr, now));
            } else if (!synRetransmitted) {
                rtt.sample(now - rttStart);
            }
            established();
            ackNow = true;
            flush(now);
        } else {
            // Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment".
            state = TcpState.SYN_RECEIVED;
            sendSyn(now, true);
            rtxAt = now + rtt.rto();
        }
    }

    private void established() {
        state = TcpState.ESTABLISHED;
        if (listener != null) {
            listener.halfOpen--;
        }
        if (synRetransmitted) {
            rtt.resetTo(RTO_AFTER_SYN_RETRANSMIT); // RFC 6298 §5.7
        }
        retries = 0;
        rtxAt = NEVER;
        pendingEvents |= EV_CONNECTED;
    }

    /** The ACK field in a synchronized state. Returns false if the segment is to be dropped. */
    private boolean processAck(long now, InboundSegment s) {
        int ack = s.ack;
        if (SeqNumber.lt(sndMax, ack)) {
            // RFC 9293: "If the ACK acks something not yet sent ... send an ACK, drop the segment";
            // RFC 5961 §5.2 makes that ACK a rate-limited challenge ACK.
            challengeAck(now);
            return false;
        }
        if (SeqNumber.lt(ack, sndUna - maxSndWnd)) {
            // RFC 5961 §5.2: too old to be a plausible duplicate: blind data injection.
            challengeAck(now);
            return false;
        }
        boolean newlySacked = sackOk && s.sackBlocks > 0 && scoreboard.update(s, sndUna, sndMax);
        int window = s.window << sndShift;
        boolean windowChanged = false;
        if (SeqNumber.le(sndUna, ack)
                && (SeqNumber.lt(sndWl1, s.seq) || sndWl1 == s.seq && SeqNumber.le(sndWl2, ack))) {
            // RFC 9293 §3.10.7.4 fifth, ESTABLISHED: update the send window.
            windowChanged = window != sndWnd;
            if (probing && window > 0 && ack == sndUna) {
                sndNxt = sndUna; // the probe byte was dropped by the closed window: send it again
                probing = false;
            }
            sndWnd = window;
            sndWl1 = s.seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            if (sndWnd > 0 && persist) {
                persist = false;
                rtxAt = sndUna != sndMax ? now + rtt.rto() : NEVER;
            }
        }
        ackSinceProbe = true;
        if (SeqNumber.lt(sndUna, ack)) {
            newAck(now, s, ack);
        } else if (ack == sndUna && sndUna != sndMax && s.payloadLength == 0
                && !s.has(TcpHeader.SYN | TcpHeader.FIN) && (!windowChanged || newlySacked)) {
            duplicateAck(now, newlySacked);
        }
        return true;
    }

    private void newAck(long now, InboundSegment s, int ack) {
        int acked = ack - sndUna;
        int flightBefore = sndMax - sndUna;
        if (SeqNumber.lt(sndBufSeq, ack)) {
            int data = Math.min(ack - sndBufSeq, sendBuf.length());
            sendBuf.consume(data);
            sndBufSeq += data;
        }
        sndUna = ack;
        if (SeqNumber.lt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        if (SeqNumber.lt(highRxt, sndUna)) {
            highRxt = sndUna;
        }
        scoreboard.advance(sndUna);
        // RTT: RFC 7323 §4.1 from TSecr of an ACK that advances SND.UNA; otherwise Karn's timing.
        if (tsOk && s.hasTimestamps && s.tsEcr != 0) {
            rtt.sample(now - tsToNanos(s.tsEcr, now));
        } else if (rttTiming && SeqNumber.lt(rttSeq, ack)) {
            rtt.sample(now - rttStart);
            rttTiming = false;
        }
        retries = 0;
        if (inRecovery) {
            if (SeqNumber.le(recoveryPoint, ack)) {
                inRecovery = false;
                if (sackOk) {
                    cc.setCwnd(cc.ssthresh());
                } else {
                    // RFC 6582 §3.2 step 3, full acknowledgment, option (1).
                    cc.setCwnd(Math.min(cc.ssthresh(), Math.max(sndMax - sndUna, sndMss) + sndMss));
                }
            } else if (!sackOk) {
                // RFC 6582 §3.2 step 3, partial acknowledgment: retransmit the first
                // unacknowledged segment, deflate cwnd by the amount acked, add back one SMSS if
                // that was at least one SMSS, and reset the timer.
                retransmit(now, sndUna, Math.min(sndMss, Math.max(0, sndMax - sndUna)));
                int cwnd = cc.cwnd() - acked + (acked >= sndMss ? sndMss : 0);
                cc.setCwnd(cwnd);
                rtxAt = now + rtt.rto();
            }
        } else {
            cc.onAck(now, acked, flightBefore, rtt.srtt());
        }
        dupAcks = 0;
        limitedTransmit = 0;
        // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, otherwise restart it.
        if (sndUna == sndMax) {
            rtxAt = NEVER;
        } else if (!persist) {
            rtxAt = now + rtt.rto();
        }
        if (finSent && SeqNumber.lt(finSeq, ack)) {
            ourFinAcked(now);
        }
        if (wantWritable && sendBuf.free() > 0 && !finQueued) {
            wantWritable = false;
            pendingEvents |= EV_WRITABLE;
        }
    }

    private void duplicateAck(long now, boolean newlySacked) {
        dupAcks++;
        if (inRecovery) {
            if (!sackOk) {
                cc.setCwnd(cc.cwnd() + sndMss); // RFC 6582 §3.2 step 4: inflate per further dup ACK
            }
            return;
        }
        boolean lost = sackOk
                ? dupAcks >= SackScoreboard.DUP_THRESH
                        || SeqNumber.lt(sndUna, scoreboard.lostFrontier(sndUna, sndMss))
                : dupAcks == SackScoreboard.DUP_THRESH;
        if (!lost) {
            if (dupAcks <= 2 && sndNxt == sndMax) {
                // RFC 3042 §2: one new segment per each of the first two duplicate ACKs, FlightSize
                // at most cwnd + 2*SMSS, cwnd itself unchanged.
                limitedTransmit = dupAcks * sndMss;
            }
            return;
        }
        limitedTransmit = 0;
        if (!sackOk && SeqNumber.lt(sndUna, recoveryPoint)) {
            // RFC 6582 §3.2 step 2: only if the cumulative ACK covers more than "recover".
            return;
        }
        // RFC 6582 §3.2 step 2 / RFC 6675 §5 step 4: enter loss recovery.
        stack.counters.fastRecoveries++;
        inRecovery = true;
        recoveryPoint = sndMax;
        int flight = sndMax - sndUna;
        int ssthresh = cc.onCongestion(now, flight);
        highRxt = sndUna;
        rttTiming = false;
        if (sackOk) {
            cc.setCwnd(ssthresh); // RFC 6675 §5 step 4.2
            // Step 4.3: retransmit the first segment deemed lost, then run the transmit loop.
            int from = scoreboard.skipSacked(sndUna);
            int to = scoreboard.nextSackedAbove(from, SeqNumber.min(from + sndMss, sndMax));
            if (SeqNumber.lt(from, to)) {
                retransmit(now, from, to - from);
                highRxt = to;
            }
        } else {
            retransmit(now, sndUna, Math.min(sndMss, flight));
            cc.setCwnd(ssthresh + SackScoreboard.DUP_THRESH * sndMss); // RFC 6582 §3.2 step 2
        }
        rtxAt = now + rtt.rto();
    }

    private void ourFinAcked(long now) {
        switch (state) {
            case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
            case CLOSING -> enterTimeWait(now);
            case LAST_ACK -> toClosed(CloseReason.NORMAL);
            default -> { }
        }
    }

    private void peerFinArrived(long now) {
        peerFinPending = false;
        peerFinReceived = true;
        rcvNxt = peerFinSeq + 1;
        pendingEvents |= EV_PEER_CLOSED;
        ackNow = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finSent && SeqNumber.lt(finSeq, sndUna)) {
                    enterTimeWait(now);
                } else {
                    state = TcpState.CLOSING;
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(now);
            default -> { }
        }
    }

    private void enterTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        rtxAt = NEVER;
        delAckAt = NEVER;
        keepAliveAt = NEVER;
        timeWaitAt = now + 2 * cfg.msl().toNanos();
    }

    private long tsToNanos(int tsEcr, long now) {
        // The echoed value is our own clock: (now_ms + offset) at sending time.
        int ageMs = tsValue(now) - tsEcr;
        return now - Math.max(0, ageMs) * NANOS_PER_MS;
    }

    // ------------------------------------------------------------------ sending

    /** Sends what the windows allow, then an ACK if one is owed and nothing carried it. */
    void flush(long now) {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state != TcpState.SYN_SENT && state != TcpState.SYN_RECEIVED && state != TcpState.TIME_WAIT) {
            transmitData(now);
        }
        if (ackNow) {
            sendAck(now);
        }
    }

    private void transmitData(long now) {
        while (true) {
            if (inRecovery && sackOk) {
                // RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, send NextSeg().
                if (cc.cwnd() - pipe() < sndMss) {
                    return;
                }
                int lostEnd = scoreboard.lostFrontier(sndUna, sndMss);
                int from = scoreboard.skipSacked(SeqNumber.max(highRxt, sndUna));
                if (SeqNumber.lt(from, lostEnd) && SeqNumber.lt(from, sndMax)) {
                    // Rule 1: the first lost, un-SACKed, not yet retransmitted segment.
                    int to = scoreboard.nextSackedAbove(from, SeqNumber.min(from + sndMss, sndMax));
                    retransmit(now, from, to - from);
                    highRxt = to;
                    continue;
                }
                // Rule 2: new data, as far as the peer's window allows.
                if (!sendNext(now, sndUna + sndWnd - sndNxt, true)) {
                    return;
                }
                continue;
            }
            int wnd = Math.min(sndWnd, cc.cwnd() + (sndNxt == sndMax ? limitedTransmit : 0));
            if (!sendNext(now, sndUna + wnd - sndNxt, false)) {
                return;
            }
        }
    }

    /** RFC 6675 §4 SetPipe(), counted by ranges rather than octet by octet. */
    private int pipe() {
        int lostEnd = scoreboard.lostFrontier(sndUna, sndMss);
        int notLost = scoreboard.unsackedBetween(lostEnd, sndMax);
        int rxtEnd = SeqNumber.max(highRxt, sndUna);
        int retransmitted = scoreboard.unsackedBetween(sndUna, SeqNumber.min(rxtEnd, sndMax));
        return notLost + retransmitted;
    }

    /** Sends the next segment at SND.NXT if the rules allow; returns true if one was sent. */
    private boolean sendNext(long now, int usable, boolean recovery) {
        if (!recovery && SeqNumber.lt(sndNxt, sndMax)) {
            sndNxt = scoreboard.skipSacked(sndNxt); // go-back-N after a timeout, skipping SACKed data
        }
        int offset = sndNxt - sndBufSeq;
        int avail = sendBuf.length() - offset;
        if (avail < 0) {
            avail = 0; // only the FIN, already sent, lies ahead
        }
        boolean finAhead = finQueued && !(finSent && SeqNumber.lt(finSeq, sndNxt));
        int len = Math.min(avail, sndMss);
        if (SeqNumber.lt(sndNxt, sndMax)) {
            len = Math.min(len, scoreboard.nextSackedAbove(sndNxt, sndNxt + len) - sndNxt);
        }
        if (len > usable) {
            len = Math.max(0, usable);
        }
        boolean fin = finAhead && len == avail && SeqNumber.le(sndNxt + len, sndUna + Math.max(sndWnd, 1) + 1);
        if (len == 0 && !fin) {
            if (avail > 0 && sndNxt == sndUna && rtxAt == NEVER) {
                armPersist(now); // RFC 9293 §3.8.6.1: probe a zero window
            }
            return false;
        }
        boolean newData = SeqNumber.le(sndMax, sndNxt);
        if (len < sndMss && !fin && newData) {
            // Nagle (RFC 9293 §3.7.4) and sender SWS avoidance (§3.8.6.2.1): a short segment only
            // when it empties the buffer and nothing is in flight (or Nagle is off), or when it is
            // at least half the largest window the peer offered.
            boolean all = len == avail;
            boolean ok = all && (!nagle || sndNxt == sndUna) || len >= maxSndWnd / 2 && len > 0;
            if (!ok) {
                if (sndNxt == sndUna && rtxAt == NEVER) {
                    armPersist(now); // the SWS override timeout
                }
                return false;
            }
        }
        int flags = TcpHeader.ACK_FLAG;
        if (len > 0 && len == avail) {
            flags |= TcpHeader.PSH;
        }
        if (fin) {
            flags |= TcpHeader.FIN;
        }
        if (!newData) {
            stack.counters.retransmissions++;
        } else if (!tsOk && !rttTiming && len > 0) {
            rttTiming = true; // Karn: time only new data
            rttSeq = sndNxt;
            rttStart = now;
        }
        if (!emit(now, sndNxt, flags, offset, len)) {
            if (rtxAt == NEVER) {
                rtxAt = now + rtt.rto();
            }
            return false;
        }
        sndNxt += len + (fin ? 1 : 0);
        if (fin) {
            finSent = true;
        }
        if (SeqNumber.lt(sndMax, sndNxt)) {
            sndMax = sndNxt;
        }
        if (rtxAt == NEVER || persist) {
            persist = false;
            rtxAt = now + rtt.rto();
        }
        return true;
    }

    private void armPersist(long now) {
        persist = true;
        rtxAt = now + rtt.rto();
    }

    /** Sends {@code len} bytes at {@code seq} again (SND.NXT unchanged); a FIN rides along if due. */
    private void retransmit(long now, int seq, int len) {
        int offset = seq - sndBufSeq;
        int avail = Math.max(0, sendBuf.length() - offset);
        len = Math.min(len, avail);
        int flags = TcpHeader.ACK_FLAG;
        if (finSent && seq + len == finSeq) {
            flags |= TcpHeader.FIN;
        }
        if (len == 0 && (flags & TcpHeader.FIN) == 0) {
            return;
        }
        stack.counters.retransmissions++;
        emit(now, seq, flags, offset, len);
    }

    private void sendAck(long now) {
        emit(now, sndNxt, TcpHeader.ACK_FLAG, 0, 0);
    }

    /** RFC 5961 §7: challenge ACKs, at most a randomised few per second per connection. */
    private void challengeAck(long now) {
        if (now - challengeWindowStart >= ONE_SECOND || challengeWindowStart == Long.MIN_VALUE) {
            challengeWindowStart = now;
            challengeBudget = CHALLENGE_ACK_MIN + stack.random().nextInt(CHALLENGE_ACK_SPREAD + 1);
        }
        if (challengeBudget <= 0) {
            stack.counters.challengeAcksSuppressed++;
            return;
        }
        challengeBudget--;
        stack.counters.challengeAcks++;
        sendAck(now);
    }

    /**
     * Builds and sends one segment: {@code len} bytes from the send buffer at {@code offset} and the
     * current ACK, window and options. Every segment after the handshake acknowledges, so this also
     * settles any owed or delayed ACK. Returns false if the pool had no buffer.
     */
    private boolean emit(long now, int seq, int flags, int offset, int len) {
        OutboundSegment o = stack.outbound();
        o.reset();
        o.seq = seq;
        o.flags = flags;
        o.ack = rcvNxt;
        o.window = advertisedWindow();
        if (tsOk) {
            setTimestamps(o, now, true);
        }
        if (sackOk && rcvBuf.hasOutOfOrder()) {
            // RFC 2018 §3: with timestamps only three blocks fit.
            o.sackBlocks = rcvBuf.sackBlocks(o.sackLeft, o.sackRight, tsOk ? 3 : 4);
        }
        boolean sent = stack.transmit(this, o, sendBuf, offset, len);
        if (sent) {
            lastAckSent = rcvNxt;
            ackNow = false;
            unackedSegments = 0;
            delAckAt = NEVER;
        }
        return sent;
    }

    /** The window field (scaled) for the next segment; moves RCV.WND's right edge as RFC 9293 allows. */
    private int advertisedWindow() {
        int free = Math.max(0, rcvTarget - rcvBuf.inOrderBytes());
        int newRight = rcvNxt + free;
        int inc = newRight - rcvRight;
        // RFC 9293 §3.8.6.2.2 receiver SWS avoidance: move the right edge only by at least
        // min(RCV.BUFF / 2, Eff.snd.MSS), and never to the left.
        if (inc > 0 && (inc >= Math.min(rcvTarget / 2, cfg.mss()) || SeqNumber.le(rcvRight, rcvNxt) && free >= cfg.mss())) {
            rcvRight = newRight;
        }
        int wnd = Math.max(0, rcvRight - rcvNxt);
        int field = Math.min(wnd >>> rcvShift, 0xFFFF);
        // The peer sees field << shift: rounding down can only move the edge left by < 2^shift.
        return field;
    }

    private void afterRead(int n) {
        long now = stack.now();
        rcvCopiedSinceMark += n;
        long period = rcvRtt > 0 ? rcvRtt : rtt.srtt() > 0 ? rtt.srtt() : 100 * NANOS_PER_MS;
        if (now - rcvMarkTime >= period) {
            // Receive window auto-tuning: if the application read at least half the window in
            // one round trip, the window (not the reader) is the limit; double it.
            if (rcvCopiedSinceMark >= rcvTarget / 2) {
                int max = wsOk ? cfg.maxReceiveBuffer() : 0xFFFF;
                rcvTarget = Math.min(max, rcvTarget * 2);
            }
            rcvMarkTime = now;
            rcvCopiedSinceMark = 0;
        }
        if (state.canReceive()) {
            int free = Math.max(0, rcvTarget - rcvBuf.inOrderBytes());
            int opened = rcvNxt + free - rcvRight;
            // RFC 1122 §4.2.3.3: a window update when the window can grow by a useful amount.
            if (opened >= Math.min(rcvTarget / 2, 2 * cfg.mss())) {
                ackNow = true;
                stack.afterUserCall(this);
            }
        }
    }

    private void queueFin() {
        finQueued = true;
        finSeq = sndBufSeq + sendBuf.length();
    }

    // ------------------------------------------------------------------ timers

    long deadline() {
        return Math.min(Math.min(rtxAt, delAckAt), Math.min(keepAliveAt, timeWaitAt));
    }

    void onTimer(long now) {
        if (timeWaitAt <= now) {
            timeWaitAt = NEVER;
            toClosed(CloseReason.NORMAL); // RFC 9293 §3.10.8 time-wait timeout
            return;
        }
        if (rtxAt <= now) {
            rtxAt = NEVER;
            retransmissionTimeout(now);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (delAckAt <= now) {
            delAckAt = NEVER;
            ackNow = true;
        }
        if (keepAliveAt <= now) {
            keepAliveTimeout(now);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        flush(now);
    }

    private void retransmissionTimeout(long now) {
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> {
                if (++retries > cfg.maxSynRetransmissions()) {
                    toClosed(listener != null && state == TcpState.SYN_RECEIVED ? null : CloseReason.TIMED_OUT);
                    return;
                }
                stack.counters.timeouts++;
                stack.counters.retransmissions++;
                synRetransmitted = true;
                rtt.backOff();
                sendSyn(now, state == TcpState.SYN_RECEIVED);
                rtxAt = now + rtt.rto();
                return;
            }
            case CLOSED, TIME_WAIT -> {
                return;
            }
            default -> { }
        }
        if (persist) {
            persistTimeout(now);
            return;
        }
        if (sndUna == sndMax) {
            return;
        }
        stack.counters.timeouts++;
        if (sndWnd == 0 && ackSinceProbe) {
            // A zero-window probe the peer answered: RFC 1122 §4.2.2.17 "MUST NOT close the
            // connection as long as the receiving TCP continues to send acknowledgments".
            ackSinceProbe = false;
        } else if (++retries > cfg.maxRetransmissions()) {
            toClosed(CloseReason.TIMED_OUT);
            return;
        }
        if (sndWnd != 0) {
            cc.onTimeout(now, sndMax - sndUna); // RFC 5681 §3.1 / RFC 6298 §5.5
        }
        rtt.backOff();
        inRecovery = false;
        limitedTransmit = 0;
        recoveryPoint = sndMax; // RFC 6582 §3.2 step 6 (the timeout case of "recover")
        dupAcks = 0;
        rttTiming = false;
        // RFC 2018 §8: after a timeout the SACK information is discarded (the peer may renege).
        scoreboard.clear();
        highRxt = sndUna;
        sndNxt = sndUna;
        rtxAt = now + rtt.rto();
        if (sndWnd == 0) {
            // Probe the closed window with one byte (or the FIN).
            int len = Math.min(1, sendBuf.length() - (sndUna - sndBufSeq));
            int flags = TcpHeader.ACK_FLAG | (len == 0 && finSent ? TcpHeader.FIN : 0);
            stack.counters.retransmissions++;
            emit(now, sndUna, flags, sndUna - sndBufSeq, Math.max(0, len));
            probing = len > 0;
            sndNxt = sndUna + Math.max(0, len) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
            return;
        }
        transmitData(now);
    }

    private void persistTimeout(long now) {
        persist = false;
        int offset = sndNxt - sndBufSeq;
        int avail = sendBuf.length() - offset;
        if (avail <= 0) {
            return;
        }
        rtt.backOff();
        int usable = sndUna + sndWnd - sndNxt;
        // Zero window: one byte of new data (RFC 9293 §3.8.6.1). SWS override: what fits.
        int len = usable <= 0 ? 1 : Math.min(Math.min(avail, sndMss), usable);
        if (emit(now, sndNxt, TcpHeader.ACK_FLAG | (len == avail ? TcpHeader.PSH : 0), offset, len)) {
            sndNxt += len;
            if (SeqNumber.lt(sndMax, sndNxt)) {
                sndMax = sndNxt;
            }
            ackSinceProbe = false;
            probing = usable <= 0;
        }
        rtxAt = now + rtt.rto();
    }

    private void keepAliveTimeout(long now) {
        if (!(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) || sndUna != sndMax) {
            touchKeepAlive(now);
            return;
        }
        if (keepAliveProbes >= cfg.keepAliveProbes()) {
            toClosed(CloseReason.TIMED_OUT);
            return;
        }
        keepAliveProbes++;
        // RFC 1122 §4.2.3.6: a probe carries SEG.SEQ = SND.NXT-1 so that the peer must answer.
        emit(now, sndNxt - 1, TcpHeader.ACK_FLAG, 0, 0);
        keepAliveAt = now + cfg.keepAliveInterval().toNanos();
    }

    private void touchKeepAlive(long now) {
        keepAliveProbes = 0;
        keepAliveAt = cfg.keepAliveIdle().isZero() ? NEVER : now + cfg.keepAliveIdle().toNanos();
    }

    // ------------------------------------------------------------------ closing

    /**
     * Enters CLOSED, releases every buffer and schedules the {@code closed} event; a null reason
     * (a half-open passive connection going back to LISTEN) closes silently.
     */
    void toClosed(CloseReason reason) {
        if (state == TcpState.CLOSED && closeReason != null) {
            return;
        }
        if (state == TcpState.SYN_RECEIVED && listener != null) {
            listener.halfOpen--;
        }
        state = TcpState.CLOSED;
        closeReason = reason == null ? CloseReason.RESET : reason;
        rtxAt = delAckAt = keepAliveAt = timeWaitAt = NEVER;
        pendingEvents = reason == null || handler == null ? 0 : (pendingEvents | EV_CLOSED);
        // Unread bytes stay readable until the closed event has been delivered; the stack then
        // releases them.
        stack.closed(this);
    }

    /** Releases buffers held for the application when the stack shuts down. */
    void releaseBuffers() {
        rcvBuf.releaseAll();
    }
}
