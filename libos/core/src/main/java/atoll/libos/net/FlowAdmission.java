package atoll.libos.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts open stream flows, in all and per source prefix, and says whether one more may open.
 * Pure bookkeeping (no sockets, no clock), shared by every target. Thread-safe.
 *
 * <p>Prefixes: an IPv4 source counts against its /24, an IPv6 source against its /56 (the
 * allocation commonly given to one customer site, RFC 6177 §3), so one host or site cannot take
 * every slot by using many of its addresses. IPv4-mapped IPv6 sources arrive as IPv4 addresses
 * from the JDK and count as IPv4.
 */
public final class FlowAdmission {

    /** Whether a flow may open. */
    public enum Outcome {
        ADMITTED,
        /** {@code maxFlows} are open: the caller may close an idle flow and ask again. */
        OVER_TOTAL,
        /** The source's prefix has {@code maxFlowsPerPrefix} open. */
        OVER_PREFIX
    }

    private static final int IPV4_PREFIX_BITS = 24;
    private static final int IPV6_PREFIX_BITS = 56;
    /** Tags IPv4 keys so they never equal an IPv6 key (IPv6 keys use only the low 56 bits). */
    private static final long IPV4_TAG = 1L << 62;

    private final int maxFlows;
    private final int maxPerPrefix;
    private final Map<Long, Integer> perPrefix = new HashMap<>();
    private int open;

    public FlowAdmission(int maxFlows, int maxPerPrefix) {
        if (maxFlows < 1 || maxPerPrefix < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxFlows = maxFlows;
        this.maxPerPrefix = maxPerPrefix;
    }

    /** Takes a slot for a flow from {@code source} if the limits allow; every ADMITTED needs one {@link #release}. */
    public synchronized Outcome admit(InetAddress source) {
        long key = prefixKey(source);
        int n = perPrefix.getOrDefault(key, 0);
        if (n >= maxPerPrefix) {
            return Outcome.OVER_PREFIX;
        }
        if (open >= maxFlows) {
            return Outcome.OVER_TOTAL;
        }
        perPrefix.put(key, n + 1);
        open++;
        return Outcome.ADMITTED;
    }

    /** Gives back the slot of an admitted flow from {@code source}. */
    public synchronized void release(InetAddress source) {
        long key = prefixKey(source);
        Integer n = perPrefix.get(key);
        if (n == null || open == 0) {
            throw new IllegalStateException("release without admit for " + Addresses.format(source));
        }
        if (n == 1) {
            perPrefix.remove(key);
        } else {
            perPrefix.put(key, n - 1);
        }
        open--;
    }

    /** Flows holding a slot now. */
    public synchronized int open() {
        return open;
    }

    /** Flows holding a slot now from {@code source}'s prefix. */
    public synchronized int openFrom(InetAddress source) {
        return perPrefix.getOrDefault(prefixKey(source), 0);
    }

    /** The /24 (IPv4) or /56 (IPv6) that {@code source} counts against, as a map key. */
    static long prefixKey(InetAddress source) {
        byte[] a = source.getAddress();
        if (source instanceof Inet4Address) {
            long v = ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
            return IPV4_TAG | (v >>> (32 - IPV4_PREFIX_BITS));
        }
        if (source instanceof Inet6Address) {
            long v = 0;
            for (int i = 0; i < IPV6_PREFIX_BITS / 8; i++) {
                v = (v << 8) | (a[i] & 0xffL);
            }
            return v;
        }
        throw new IllegalArgumentException("not an IP address: " + source);
    }
}
