package atoll.stack.icmp;

/**
 * A token bucket on injected time: {@code burst} messages at once, refilled at {@code perSecond}.
 * RFC 1812 §4.3.2.8 recommends limiting ICMP error messages this way (RFC 1122 §3.2.2 asks hosts
 * not to flood the network with them).
 */
public final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long nanosPerToken;
    private final long capacityNanos;
    private long bucketNanos; // tokens held, as time earned
    private long last;
    private boolean started;

    public RateLimiter(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
        }
        this.nanosPerToken = NANOS_PER_SECOND / perSecond;
        this.capacityNanos = nanosPerToken * burst;
    }

    /** Takes one token if there is one at {@code now} (monotonic nanoseconds). */
    public boolean tryAcquire(long now) {
        if (!started) {
            started = true;
            bucketNanos = capacityNanos;
        } else {
            long elapsed = now - last;
            if (elapsed > 0) {
                bucketNanos = Math.min(capacityNanos, bucketNanos + elapsed);
            }
        }
        last = now;
        if (bucketNanos >= nanosPerToken) {
            bucketNanos -= nanosPerToken;
            return true;
        }
        return false;
    }
}
