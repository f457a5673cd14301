package atoll.stack.ip;

import java.time.Duration;

/**
 * Bounds of IPv4 fragment reassembly.
 *
 * @param timeout how long the fragments of one datagram wait for the rest (RFC 1122 §3.3.2: "The
 *     reassembly timeout MUST be a fixed value, not set from the remaining TTL. It is recommended
 *     that the value lie between 60 seconds and 120 seconds.")
 * @param maxDatagrams datagrams being reassembled at once; the oldest is dropped to make room
 * @param maxFragments fragment buffers held in all, across datagrams
 */
public record ReassemblyLimits(Duration timeout, int maxDatagrams, int maxFragments) {
    public ReassemblyLimits {
        if (timeout.isNegative() || timeout.isZero() || maxDatagrams < 1 || maxFragments < 2) {
            throw new IllegalArgumentException("bad reassembly limits: " + this);
        }
    }

    /** 60 s, 16 datagrams, 64 fragment buffers. */
    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(Duration.ofSeconds(60), 16, 64);
    }
}
