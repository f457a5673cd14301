package atoll.stack.tcp;

import atoll.stack.wire.SeqNumber;

/**
 * The sender's record of which bytes above SND.UNA the peer has selectively acknowledged
 * (RFC 6675 §3 "scoreboard"): sorted, merged, non-overlapping ranges [left, right).
 */
final class SackScoreboard {
    /** RFC 6675 §2: DupThresh. */
    static final int DUP_THRESH = 3;
    private static final int MAX_RANGES = 64;

    private final int[] left = new int[MAX_RANGES];
    private final int[] right = new int[MAX_RANGES];
    private int count;
    private int sackedBytes;

    int sackedBytes() {
        return sackedBytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    void clear() {
        count = 0;
        sackedBytes = 0;
    }

    /** Highest sequence number SACKed plus one, or {@code sndUna} if nothing is. */
    int highestSacked(int sndUna) {
        return count == 0 ? sndUna : right[count - 1];
    }

    /**
     * Adds the segment's SACK blocks. RFC 2018 §4 / RFC 5961 sanity: blocks not inside
     * (SND.UNA, SND.MAX] are ignored. Returns true if any byte became newly SACKed.
     */
    boolean update(InboundSegment s, int sndUna, int sndMax) {
        boolean grew = false;
        for (int i = 0; i < s.sackBlocks; i++) {
            int l = s.sackLeft[i];
            int r = s.sackRight[i];
            if (!SeqNumber.lt(l, r) || SeqNumber.le(r, sndUna) || SeqNumber.lt(sndMax, r)) {
                continue; // D-SACK (RFC 2883) or bogus: not used for recovery
            }
            l = SeqNumber.max(l, sndUna);
            grew |= add(l, r);
        }
        return grew;
    }

    private boolean add(int l, int r) {
        int before = sackedBytes;
        int i = 0;
        while (i < count && SeqNumber.lt(right[i], l)) {
            i++;
        }
        // Merge every range that touches [l, r).
        int j = i;
        int nl = l;
        int nr = r;
        while (j < count && SeqNumber.le(left[j], nr)) {
            nl = SeqNumber.min(nl, left[j]);
            nr = SeqNumber.max(nr, right[j]);
            sackedBytes -= right[j] - left[j];
            j++;
        }
        int removed = j - i;
        if (removed == 0 && count == MAX_RANGES) {
            return false; // full: forget the newcomer; recovery only gets less precise
        }
        System.arraycopy(left, j, left, i + 1, count - j);
        System.arraycopy(right, j, right, i + 1, count - j);
        count += 1 - removed;
        left[i] = nl;
        right[i] = nr;
        sackedBytes += nr - nl;
        return sackedBytes > before;
    }

    /** Forgets everything below the new SND.UNA. */
    void advance(int sndUna) {
        int drop = 0;
        while (drop < count && SeqNumber.le(right[drop], sndUna)) {
            sackedBytes -= right[drop] - left[drop];
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(left, drop, left, 0, count - drop);
            System.arraycopy(right, drop, right, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && SeqNumber.lt(left[0], sndUna)) {
            sackedBytes -= sndUna - left[0];
            left[0] = sndUna;
        }
    }

    /** If {@code seq} lies in a SACKed range, that range's end; otherwise {@code seq}. */
    int skipSacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNumber.le(left[i], seq) && SeqNumber.lt(seq, right[i])) {
                return right[i];
            }
            if (SeqNumber.lt(seq, left[i])) {
                break;
            }
        }
        return seq;
    }

    /** The start of the first SACKed range above {@code seq}, or {@code limit} if none is below it. */
    int nextSackedAbove(int seq, int limit) {
        for (int i = 0; i < count; i++) {
            if (SeqNumber.lt(seq, left[i])) {
                return SeqNumber.min(left[i], limit);
            }
        }
        return limit;
    }

    /**
     * RFC 6675 §4 IsLost: an un-SACKed byte is lost when more than (DupThresh - 1) * SMSS bytes
     * above it are SACKed. Returns the frontier below which every un-SACKed byte is lost (equal to
     * {@code sndUna} when none is).
     */
    int lostFrontier(int sndUna, int mss) {
        int threshold = (DUP_THRESH - 1) * mss;
        int above = 0;
        for (int i = count - 1; i >= 0; i--) {
            above += right[i] - left[i];
            if (above > threshold) {
                return left[i];
            }
        }
        return sndUna;
    }

    /** Un-SACKed bytes in [from, to). */
    int unsackedBetween(int from, int to) {
        if (!SeqNumber.lt(from, to)) {
            return 0;
        }
        int n = to - from;
        for (int i = 0; i < count; i++) {
            int l = SeqNumber.max(left[i], from);
            int r = SeqNumber.min(right[i], to);
            if (SeqNumber.lt(l, r)) {
                n -= r - l;
            }
        }
        return n;
    }
}
