package atoll.dns.guard;

import atoll.libos.net.TransportAddress;
import atoll.libos.time.Clock;

/**
 * Response rate limiting for UDP: one token bucket per (source prefix, response class), holding
 * {@code rate} tokens, refilled to {@code rate} every second of the injected clock. A response
 * finding its bucket empty is limited: every {@code slip}-th limited response is sent truncated
 * (TC=1, so a real client retries over TCP, which a spoofed victim cannot), the others are
 * dropped; slip 0 drops them all. Knot DNS's mod-rrl and BIND's rate-limit work this way.
 *
 * <p>The table is fixed at construction (a power of two of slots, direct-mapped by a hash of the
 * key); a colliding key takes the slot over with a full bucket. Thread-safe in the way a
 * statistics table is: threads race on plain arrays, and a lost update only lets one more
 * response through or limits one more; nothing throws and nothing allocates.
 */
public final class RateLimiter {
    /** The classes responses are counted in, as Knot's mod-rrl separates them. */
    public static final int ANSWER = 0;
    public static final int NODATA = 1;
    public static final int REFERRAL = 2;
    public static final int NXDOMAIN = 3;
    public static final int ERROR = 4;
    private static final int CLASS_BITS = 3;
    private static final long IPV4_TAG = 1L << 62;
    private static final long IPV6_TAG = 1L << 61;

    /** What to do with one response. */
    public enum Decision { SEND, SLIP, DROP }

    private final Clock clock;
    private final int rate;
    private final int slip;
    private final int v4Prefix;
    private final int v6Prefix;
    private final long[] keys;
    private final int[] tokens;
    private final long[] second;
    private final int mask;
    private int limited;

    /**
     * @param rate responses per second per bucket, at least 1
     * @param slip every slip-th limited response is truncated instead of dropped; 0 drops all
     * @param tableSize buckets, rounded up to a power of two
     * @param v4Prefix IPv4 source prefix length, 0 to 32
     * @param v6Prefix IPv6 source prefix length, 0 to 56
     */
    public RateLimiter(Clock clock, int rate, int slip, int tableSize, int v4Prefix, int v6Prefix) {
        if (rate < 1 || slip < 0 || tableSize < 1 || v4Prefix < 0 || v4Prefix > 32 || v6Prefix < 0 || v6Prefix > 56) {
            throw new IllegalArgumentException("rate limiter settings out of range");
        }
        this.clock = clock;
        this.rate = rate;
        this.slip = slip;
        this.v4Prefix = v4Prefix;
        this.v6Prefix = v6Prefix;
        int size = Integer.highestOneBit(Math.max(1, tableSize - 1)) << 1;
        this.keys = new long[size];
        this.tokens = new int[size];
        this.second = new long[size];
        this.mask = size - 1;
    }

    /** Counts one response of {@code responseClass} to {@code source}, and says what to do with it. */
    public Decision account(TransportAddress source, int responseClass) {
        long key = key(source) << CLASS_BITS | responseClass;
        long now = Math.floorDiv(clock.nanoTime(), 1_000_000_000L);
        int i = (int) mix(key) & mask;
        if (keys[i] != key || second[i] != now) {
            // A new key, or a new second: the bucket starts full.
            keys[i] = key;
            second[i] = now;
            tokens[i] = rate;
        }
        if (tokens[i] > 0) {
            tokens[i]--;
            return Decision.SEND;
        }
        int n = ++limited;
        if (n < 0) {
            limited = n = 1;
        }
        return slip > 0 && n % slip == 0 ? Decision.SLIP : Decision.DROP;
    }

    /** The source's prefix, tagged with its family: never 0, so 0 marks an empty slot. */
    private long key(TransportAddress a) {
        if (a.isIpv4()) {
            long ip = a.ipv4() & 0xffffffffL;
            long masked = v4Prefix == 0 ? 0 : ip >>> (32 - v4Prefix) << (32 - v4Prefix);
            return IPV4_TAG >>> CLASS_BITS | masked;
        }
        long hi = 0;
        for (int i = 0; i < 7; i++) {
            hi = hi << 8 | a.addressOctet(i);
        }
        // 56 bits of the address at most: keep the first v6Prefix of them.
        long masked = v6Prefix == 0 ? 0 : hi >>> (56 - v6Prefix) << (56 - v6Prefix);
        return IPV6_TAG >>> CLASS_BITS | masked;
    }

    /** A 64-bit finaliser (the MurmurHash3 fmix64 constants) spreading the key over the table. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
