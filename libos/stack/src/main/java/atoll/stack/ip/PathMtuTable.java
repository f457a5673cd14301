package atoll.stack.ip;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Path MTU estimates per destination (RFC 1191), learned from ICMP "fragmentation needed"
 * messages. Bounded in size; estimates age out so that a path that grew is tried again.
 */
public final class PathMtuTable {
    /**
     * RFC 1191 §7 "Table 7-1", the plateaus used when a router's message carries no next-hop MTU
     * (those above Ethernet's are left out: a datagram that big did not fit our link anyway).
     */
    private static final int[] PLATEAUS = {1492, 1006, 508, 296, 68};

    private final int linkMtu;
    private final int maxEntries;
    private final long agingNanos;
    private final Map<Integer, long[]> table = new HashMap<>(); // value: {mtu, learnedAt}

    /**
     * @param agingNanos RFC 1191 §6.3: "the PMTU ... should be raised ... The recommended timeout
     *     is 10 minutes"
     */
    public PathMtuTable(int linkMtu, int maxEntries, long agingNanos) {
        this.linkMtu = linkMtu;
        this.maxEntries = maxEntries;
        this.agingNanos = agingNanos;
    }

    /** The largest datagram to send to {@code destination} now. */
    public int mtu(int destination, long now) {
        if (table.isEmpty()) {
            return linkMtu; // the common case, without boxing the key
        }
        long[] e = table.get(destination);
        if (e == null) {
            return linkMtu;
        }
        if (now - e[1] - agingNanos >= 0) {
            table.remove(destination);
            return linkMtu;
        }
        return (int) e[0];
    }

    /**
     * Applies a "fragmentation needed" report for a datagram of {@code originalLength} bytes to
     * {@code destination}.
     *
     * @param nextHopMtu the message's Next-Hop MTU, 0 from a router that predates RFC 1191
     * @return the new estimate
     */
    public int learn(int destination, int nextHopMtu, int originalLength, long now) {
        int mtu = nextHopMtu;
        if (mtu >= originalLength) {
            // A next hop that could carry the datagram it refused: inconsistent, so ignored
            // (the estimate is not lowered on a report that does not make sense).
            return mtu(destination, now);
        }
        if (mtu == 0) {
            // RFC 1191 §5: an old-style message without the next-hop MTU: take the next plateau
            // below the datagram's length.
            mtu = IpConfig.MIN_MTU;
            for (int p : PLATEAUS) {
                if (p < originalLength) {
                    mtu = p;
                    break;
                }
            }
        }
        // RFC 1191 §3: "A host MUST never reduce its estimate of the Path MTU below 68 octets."
        mtu = Math.max(mtu, IpConfig.MIN_MTU);
        int current = mtu(destination, now);
        // RFC 1191 §3: a report never raises the estimate; only aging does.
        if (mtu >= current) {
            return current;
        }
        if (!table.containsKey(destination) && table.size() >= maxEntries) {
            evictOldest();
        }
        table.put(destination, new long[] {mtu, now});
        return mtu;
    }

    public int size() {
        return table.size();
    }

    private void evictOldest() {
        Iterator<Map.Entry<Integer, long[]>> it = table.entrySet().iterator();
        Map.Entry<Integer, long[]> oldest = null;
        while (it.hasNext()) {
            Map.Entry<Integer, long[]> e = it.next();
            if (oldest == null || e.getValue()[1] - oldest.getValue()[1] < 0) {
                oldest = e;
            }
        }
        if (oldest != null) {
            table.remove(oldest.getKey());
        }
    }
}
