package atoll.stack.tcp;

import java.time.Duration;

/**
 * Tunables of a {@link TcpStack}; {@link #defaults()} follows the RFCs' recommendations, each
 * named at its default. Immutable; change with the {@code with*} methods.
 *
 * @param mss the MSS we announce and the largest payload we send (RFC 9293 §3.7.1; 1460 is an
 *     Ethernet MTU of 1500 minus 40 bytes of IPv4 and TCP headers)
 * @param initialReceiveWindow the receive window we start with; it grows with the application's
 *     reading up to {@code maxReceiveBuffer}
 * @param maxReceiveBuffer most bytes buffered for the application per connection (in order and
 *     out of order); also fixes the window scale we announce (RFC 7323 §2.3)
 * @param sendBuffer most bytes the application may queue unacknowledged per connection
 * @param nagle Nagle's algorithm (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4), on by default
 * @param delayedAck delay before a lone ACK (RFC 9293 §3.8.6.3: "MUST be less than 0.5
 *     seconds"); zero acknowledges every segment at once
 * @param windowScaling offer and accept RFC 7323 window scaling
 * @param timestamps offer and accept RFC 7323 timestamps
 * @param sack offer and accept RFC 2018 SACK
 * @param congestionControl NewReno (RFC 6582) or CUBIC (RFC 9438)
 * @param minRto RFC 6298 §2.4: "Whenever RTO is computed, if it is less than 1 second, then the
 *     RTO SHOULD be rounded up to 1 second"
 * @param maxRto RFC 6298 §2.5: a maximum "MAY be placed on RTO provided it is at least 60
 *     seconds"
 * @param maxRetransmissions R2 of RFC 1122 §4.2.3.5 as a count: after this many unanswered
 *     retransmissions of one segment the connection is dropped
 * @param maxSynRetransmissions R2 for a SYN
 * @param msl Maximum Segment Lifetime; TIME-WAIT lasts 2*MSL (RFC 9293 §3.4.2: "arbitrarily
 *     defined to be 2 minutes")
 * @param keepAliveIdle idle time before the first keepalive probe, or zero for no keepalive
 *     (RFC 1122 §4.2.3.6: off by default; "MUST default to no less than two hours")
 * @param keepAliveInterval between unanswered probes
 * @param keepAliveProbes unanswered probes before the connection is dropped
 * @param listenBacklog half-open (SYN-RECEIVED) connections per listener before SYN cookies
 *     answer instead (RFC 4987 §3.6)
 */
public record TcpConfig(
        int mss,
        int initialReceiveWindow,
        int maxReceiveBuffer,
        int sendBuffer,
        boolean nagle,
        Duration delayedAck,
        boolean windowScaling,
        boolean timestamps,
        boolean sack,
        CongestionAlgorithm congestionControl,
        Duration minRto,
        Duration maxRto,
        int maxRetransmissions,
        int maxSynRetransmissions,
        Duration msl,
        Duration keepAliveIdle,
        Duration keepAliveInterval,
        int keepAliveProbes,
        int listenBacklog) {

    /** RFC 9293 §3.7.1: MSS option values below this are not useful; 536 is the IPv4 default. */
    static final int DEFAULT_MSS_IPV4 = 536;

    public TcpConfig {
        if (mss < 64 || mss > 65495) {
            throw new IllegalArgumentException("mss " + mss + " not in [64, 65495]");
        }
        if (initialReceiveWindow < mss || maxReceiveBuffer < initialReceiveWindow) {
            throw new IllegalArgumentException("need mss <= initialReceiveWindow <= maxReceiveBuffer");
        }
        if (maxReceiveBuffer > (1 << 30)) {
            throw new IllegalArgumentException("maxReceiveBuffer above 2^30 (RFC 7323 §2.3 scale limit 14)");
        }
        if (sendBuffer < mss) {
            throw new IllegalArgumentException("sendBuffer below one mss");
        }
        if (delayedAck.toMillis() >= 500) {
            throw new IllegalArgumentException("delayedAck must be under 0.5 s (RFC 9293 §3.8.6.3)");
        }
        if (maxRto.compareTo(Duration.ofSeconds(60)) < 0 || minRto.isNegative() || minRto.isZero()) {
            throw new IllegalArgumentException("need 0 < minRto and maxRto >= 60 s (RFC 6298 §2.5)");
        }
        if (listenBacklog < 0 || maxRetransmissions < 1 || maxSynRetransmissions < 1) {
            throw new IllegalArgumentException("bad counts");
        }
    }

    public static TcpConfig defaults() {
        return new TcpConfig(
                1460,
                64 * 1024,
                4 * 1024 * 1024,
                4 * 1024 * 1024,
                true,
                Duration.ofMillis(40),
                true,
                true,
                true,
                CongestionAlgorithm.CUBIC,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                15,
                6,
                Duration.ofMinutes(2),
                Duration.ZERO,
                Duration.ofSeconds(75),
                9,
                128);
    }

    public TcpConfig withNagle(boolean on) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, on, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withOptions(boolean windowScaling, boolean timestamps, boolean sack) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withCongestionControl(CongestionAlgorithm cc) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, cc, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withBuffers(int initialReceiveWindow, int maxReceiveBuffer, int sendBuffer) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withMss(int mss) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withDelayedAck(Duration delay) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delay, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withKeepAlive(Duration idle, Duration interval, int probes) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                idle, interval, probes, listenBacklog);
    }

    public TcpConfig withListenBacklog(int backlog) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, backlog);
    }

    public TcpConfig withMsl(Duration msl) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    public TcpConfig withMinRto(Duration minRto) {
        return new TcpConfig(mss, initialReceiveWindow, maxReceiveBuffer, sendBuffer, nagle, delayedAck, windowScaling,
                timestamps, sack, congestionControl, minRto, maxRto, maxRetransmissions, maxSynRetransmissions, msl,
                keepAliveIdle, keepAliveInterval, keepAliveProbes, listenBacklog);
    }

    /** RFC 7323 §2.3: the smallest shift that lets a 16-bit field carry {@code maxReceiveBuffer}. */
    int receiveWindowShift() {
        if (!windowScaling) {
            return 0;
        }
        int shift = 0;
        while (shift < 14 && (maxReceiveBuffer >>> shift) > 0xFFFF) {
            shift++;
        }
        return shift;
    }
}
