package atoll.stack.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bytes the application wrote that are not yet acknowledged: a ring whose head is the byte at
 * SND.UNA (RFC 9293 §3.3.1). Kept until acknowledged so any range can be sent again, cut to any
 * segment size. Grows (doubling) up to its capacity, so an idle connection holds little.
 */
final class SendBuffer {
    private static final int INITIAL = 16 * 1024;
    private final int capacity;
    private byte[] ring;
    private int head;
    private int length;

    private static final byte[] EMPTY = new byte[0];

    SendBuffer(int capacity) {
        this.capacity = capacity;
        this.ring = EMPTY; // allocated on the first write: a connection that never sends holds nothing
    }

    int length() {
        return length;
    }

    int free() {
        return capacity - length;
    }

    /** Appends as many of {@code src}'s {@code len} bytes at {@code offset} as fit; returns how many. */
    int write(MemorySegment src, long offset, long len) {
        int n = (int) Math.min(len, free());
        if (n == 0) {
            return 0;
        }
        ensure(length + n);
        int tail = (head + length) % ring.length;
        int first = Math.min(n, ring.length - tail);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, ring, tail, first);
        if (n > first) {
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset + first, ring, 0, n - first);
        }
        length += n;
        return n;
    }

    /** Copies {@code len} bytes starting {@code offset} bytes after the head into {@code dst}. */
    void copyTo(int offset, int len, MemorySegment dst, long dstOffset) {
        if (len == 0) {
            return;
        }
        int from = (head + offset) % ring.length;
        int first = Math.min(len, ring.length - from);
        MemorySegment.copy(ring, from, dst, ValueLayout.JAVA_BYTE, dstOffset, first);
        if (len > first) {
            MemorySegment.copy(ring, 0, dst, ValueLayout.JAVA_BYTE, dstOffset + first, len - first);
        }
    }

    /** Drops {@code n} acknowledged bytes from the head. */
    void consume(int n) {
        if (n == 0) {
            return;
        }
        head = (head + n) % ring.length;
        length -= n;
        if (length == 0) {
            head = 0;
        }
    }

    private void ensure(int needed) {
        if (needed <= ring.length) {
            return;
        }
        int size = Math.max(ring.length, Math.min(INITIAL, capacity));
        while (size < needed) {
            size = Math.min(capacity, size * 2);
        }
        byte[] grown = new byte[size];
        int first = Math.min(length, ring.length - head);
        System.arraycopy(ring, head, grown, 0, first);
        System.arraycopy(ring, 0, grown, first, length - first);
        ring = grown;
        head = 0;
    }
}
