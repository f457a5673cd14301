package atoll.stack.arp;

import java.time.Duration;

/**
 * Timers and bounds of the ARP cache.
 *
 * @param reachable how long a learned mapping is used without question; afterwards it is still
 *     used while a unicast poll (RFC 1122 §2.3.2.1 (2)) refreshes it, and dropped if nothing
 *     answers within {@code retries} polls
 * @param retryInterval the gap between requests for one address (RFC 1122 §2.3.2.1: "a maximum
 *     rate of 1 per second per destination" is recommended)
 * @param retries requests sent for an address before it is declared unreachable
 * @param maxEntries cache entries, resolved and pending; the oldest resolved one makes room
 * @param maxPendingPerAddress packets kept while one address resolves (RFC 1122 §2.3.2.2: "SHOULD
 *     save ... at least one (the latest) packet"); the oldest is dropped first
 * @param maxPendingTotal packets kept for all unresolved addresses together
 */
public record ArpLimits(
        Duration reachable, Duration retryInterval, int retries, int maxEntries, int maxPendingPerAddress,
        int maxPendingTotal) {

    public ArpLimits {
        if (reachable.isNegative() || reachable.isZero() || retryInterval.isNegative() || retryInterval.isZero()
                || retries < 1 || maxEntries < 1 || maxPendingPerAddress < 1
                || maxPendingTotal < maxPendingPerAddress) {
            throw new IllegalArgumentException("bad ARP limits: " + this);
        }
    }

    /** 60 s reachable, 1 s between 3 requests, 256 entries, 4 packets per address, 64 in all. */
    public static ArpLimits defaults() {
        return new ArpLimits(Duration.ofSeconds(60), Duration.ofSeconds(1), 3, 256, 4, 64);
    }
}
