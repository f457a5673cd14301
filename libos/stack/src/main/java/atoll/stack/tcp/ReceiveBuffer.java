package atoll.stack.tcp;

import atoll.stack.wire.SeqNumber;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Received payload not yet read by the application, kept zero-copy in the pooled buffers it
 * arrived in (each buffer's window narrowed to its new bytes): an in-order queue that the
 * application reads, and the out-of-order segments above RCV.NXT, sorted by sequence number and
 * never overlapping, from which SACK blocks are built (RFC 2018 §4).
 *
 * <p>Owns every buffer it holds; {@link #releaseAll()} gives them back.
 */
final class ReceiveBuffer {
    /** Small in-order payloads are copied into the previous buffer's tailroom up to this size, so
     * that a peer sending tiny segments cannot pin one pool buffer per byte. */
    private static final int COALESCE_BELOW = 512;

    private final ArrayDeque<PooledBuffer> inOrder = new ArrayDeque<>();
    private PooledBuffer tail;
    private int inOrderBytes;

    private final int maxOutOfOrder;
    private PooledBuffer[] oooBuf = new PooledBuffer[4];
    private int[] oooSeq = new int[4];
    private int oooCount;
    private int oooBytes;
    /** Sequence number of the most recently queued out-of-order segment (RFC 2018 §4 first block). */
    private int lastOooSeq;

    ReceiveBuffer(int maxOutOfOrder) {
        this.maxOutOfOrder = maxOutOfOrder; // the arrays grow up to this on demand
    }

    int inOrderBytes() {
        return inOrderBytes;
    }

    int outOfOrderBytes() {
        return oooBytes;
    }

    boolean hasOutOfOrder() {
        return oooCount > 0;
    }

    /** Queues a buffer whose window is exactly the next in-order bytes; takes ownership. */
    void addInOrder(PooledBuffer b) {
        int n = b.length();
        if (n == 0) {
            b.release();
            return;
        }
        inOrderBytes += n;
        if (tail != null && n < COALESCE_BELOW && tail.tailroom() >= n) {
            MemorySegment.copy(b.memory(), b.start(), tail.memory(), tail.end(), n);
            tail.append(n);
            b.release();
            return;
        }
        inOrder.addLast(b);
        tail = b;
    }

    /**
     * Queues a segment above RCV.NXT; takes ownership. Bytes already held are trimmed off; a segment
     * wholly covered is released. Returns false (and releases it) if the queue is full.
     */
    boolean addOutOfOrder(int seq, PooledBuffer b) {
        int end = seq + b.length();
        // Remove held segments the new one covers entirely; trim the new one against the others.
        int i = 0;
        while (i < oooCount) {
            int s = oooSeq[i];
            int e = s + oooBuf[i].length();
            if (SeqNumber.le(e, seq) || SeqNumber.le(end, s)) {
                i++;
                continue;
            }
            if (SeqNumber.le(s, seq) && SeqNumber.le(end, e)) {
                b.release(); // nothing new
                return true;
            }
            if (SeqNumber.le(seq, s) && SeqNumber.le(e, end)) {
                oooBytes -= oooBuf[i].length();
                oooBuf[i].release();
                removeAt(i);
                continue;
            }
            if (SeqNumber.lt(s, seq)) { // held one overlaps our front
                b.consume(e - seq);
                seq = e;
            } else { // held one overlaps our back
                b.truncate(s - seq);
                end = s;
            }
            i++;
        }
        if (b.length() == 0) {
            b.release();
            return true;
        }
        if (oooCount == maxOutOfOrder) {
            b.release();
            return false;
        }
        if (oooCount == oooBuf.length) {
            int size = Math.min(maxOutOfOrder, oooBuf.length * 2);
            oooBuf = java.util.Arrays.copyOf(oooBuf, size);
            oooSeq = java.util.Arrays.copyOf(oooSeq, size);
        }
        int at = 0;
        while (at < oooCount && SeqNumber.lt(oooSeq[at], seq)) {
            at++;
        }
        System.arraycopy(oooSeq, at, oooSeq, at + 1, oooCount - at);
        System.arraycopy(oooBuf, at, oooBuf, at + 1, oooCount - at);
        oooSeq[at] = seq;
        oooBuf[at] = b;
        oooCount++;
        oooBytes += b.length();
        lastOooSeq = seq;
        return true;
    }

    /** Moves out-of-order segments that now touch {@code rcvNxt} into order; returns the new RCV.NXT. */
    int drain(int rcvNxt) {
        while (oooCount > 0 && SeqNumber.le(oooSeq[0], rcvNxt)) {
            PooledBuffer b = oooBuf[0];
            int s = oooSeq[0];
            int e = s + b.length();
            oooBytes -= b.length();
            removeAt(0);
            if (SeqNumber.le(e, rcvNxt)) {
                b.release();
                continue;
            }
            b.consume(rcvNxt - s);
            rcvNxt = e;
            addInOrder(b);
        }
        return rcvNxt;
    }

    /**
     * Fills up to {@code max} SACK blocks (RFC 2018 §4): the first holds the most recently received
     * segment ("MUST"), the others follow from the highest down. Returns the count.
     */
    int sackBlocks(int[] left, int[] right, int max) {
        int n = 0;
        // Contiguous runs of held segments, highest first.
        int firstRun = -1;
        int i = oooCount - 1;
        int[] runs = scratchRuns();
        int runCount = 0;
        while (i >= 0 && runCount < runs.length / 2) {
            int e = oooSeq[i] + oooBuf[i].length();
            int s = oooSeq[i];
            boolean holdsLatest = s == lastOooSeq;
            while (i > 0 && oooSeq[i - 1] + oooBuf[i - 1].length() == s) {
                i--;
                s = oooSeq[i];
                holdsLatest |= s == lastOooSeq;
            }
            if (holdsLatest) {
                firstRun = runCount;
            }
            runs[2 * runCount] = s;
            runs[2 * runCount + 1] = e;
            runCount++;
            i--;
        }
        if (firstRun >= 0 && n < max) {
            left[n] = runs[2 * firstRun];
            right[n] = runs[2 * firstRun + 1];
            n++;
        }
        for (int r = 0; r < runCount && n < max; r++) {
            if (r != firstRun) {
                left[n] = runs[2 * r];
                right[n] = runs[2 * r + 1];
                n++;
            }
        }
        return n;
    }

    private final int[] runScratch = new int[2 * 8];

    private int[] scratchRuns() {
        return runScratch;
    }

    /** Copies up to {@code dst.byteSize()} in-order bytes into {@code dst}; returns the count. */
    int read(MemorySegment dst) {
        int copied = 0;
        long room = dst.byteSize();
        while (copied < room && !inOrder.isEmpty()) {
            PooledBuffer b = inOrder.peekFirst();
            int n = (int) Math.min(b.length(), room - copied);
            MemorySegment.copy(b.memory(), b.start(), dst, copied, n);
            copied += n;
            b.consume(n);
            if (b.length() == 0) {
                inOrder.pollFirst().release();
                if (b == tail) {
                    tail = null;
                }
            }
        }
        inOrderBytes -= copied;
        return copied;
    }

    /** Hands over the next in-order buffer (the caller releases it), or null if none. */
    PooledBuffer poll() {
        PooledBuffer b = inOrder.pollFirst();
        if (b != null) {
            inOrderBytes -= b.length();
            if (b == tail) {
                tail = null;
            }
        }
        return b;
    }

    void releaseAll() {
        for (PooledBuffer b; (b = inOrder.pollFirst()) != null; ) {
            b.release();
        }
        tail = null;
        inOrderBytes = 0;
        for (int i = 0; i < oooCount; i++) {
            oooBuf[i].release();
            oooBuf[i] = null;
        }
        oooCount = 0;
        oooBytes = 0;
    }

    private void removeAt(int i) {
        System.arraycopy(oooSeq, i + 1, oooSeq, i, oooCount - i - 1);
        System.arraycopy(oooBuf, i + 1, oooBuf, i, oooCount - i - 1);
        oooCount--;
        oooBuf[oooCount] = null;
    }
}
