package atoll.libos.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fixed-size block of off-heap memory lent out by a {@link BufferPool}, with a movable
 * <em>data window</em> {@code [start, end)} inside it.
 *
 * <p>Receive path: a device read lands in the window; each layer parses its header in place and
 * calls {@link #consume(int)} so that the window becomes its payload. Transmit path: the buffer is
 * acquired with the window empty at {@link BufferPool#headroom()}; the payload is appended once and
 * every lower layer {@link #prepend(int) prepends} its header into the headroom (the gVisor
 * "prependable view" / Linux sk_buff shape). No layer copies the payload.
 *
 * <p>Ownership: exactly one holder at a time, and the holder releases it exactly once with
 * {@link #release()} (or passes it on to an API whose javadoc says it takes ownership). A second
 * release throws. {@link #retain()} adds a holder, each of which must release. The pool counts
 * buffers that were acquired and not yet released; tests assert that count returns to zero.
 *
 * <p>Headers: on receive each layer {@link #consumeHeader consumes} its header and on send each
 * {@link #pushHeader pushes} one; the buffer remembers where each {@link HeaderLayer}'s header is
 * (gVisor's PacketBuffer), so that later code can reach back to an earlier header: an ICMP error
 * quotes the network header and the first payload bytes, a transport checksum reads the
 * pseudo-header's addresses. Each layer is recorded at most once per use of the buffer.
 *
 * <p>Generations: every acquire stamps the buffer with a new {@link #generation()}. A holder that
 * keeps a buffer beyond the call that handed it over (a queue, a reassembly list, a retransmit
 * queue) notes the stamp and releases with {@link #release(int)}: if the buffer was released and
 * the pool has lent it out again meanwhile, that release throws instead of silently taking the
 * new holder's buffer away.
 *
 * <p>Not thread-safe: a buffer belongs to one thread at a time; hand-over between threads must go
 * through a happens-before edge (a queue, a lock).
 */
public final class PooledBuffer implements AutoCloseable {
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final BufferPool pool;
    private final MemorySegment memory;
    private final ByteBuffer nioView;
    private int start;
    private int end;
    private int refCount;
    private int generation;
    // Per HeaderLayer ordinal: offset in memory of the header's first byte, and its length; -1 /
    // 0 when the layer has none. One array per block for its whole life: nothing per acquire.
    private final int[] headerAt = new int[HeaderLayer.values().length];
    private final int[] headerLength = new int[HeaderLayer.values().length];
    Throwable acquiredAt; // set by the pool when leak tracing is on
    BufferQuota quota; // set by a BufferQuota that lent it; told when the buffer comes back

    PooledBuffer(BufferPool pool, MemorySegment memory) {
        this.pool = pool;
        this.memory = memory;
        this.nioView = memory.asByteBuffer();
    }

    void reset(int headroom) {
        start = headroom;
        end = headroom;
        refCount = 1;
        generation++;
        forgetHeaders();
    }

    /**
     * Forgets every recorded header and keeps the window: a frame built on the send path can then
     * be received as is (a loopback, an in-memory link between two stacks), and a received payload
     * can be sent on as a new datagram (an echo, a reply written in place).
     */
    public void forgetHeaders() {
        java.util.Arrays.fill(headerAt, -1);
        java.util.Arrays.fill(headerLength, 0);
    }

    /**
     * This use's stamp: it changes each time the pool lends the block out, so a holder can tell
     * its buffer from the same block lent to someone else later.
     */
    public int generation() {
        return generation;
    }

    /** The whole block, headroom and tailroom included. */
    public MemorySegment memory() {
        checkLive();
        return memory;
    }

    /** Capacity of the whole block in bytes. */
    public int capacity() {
        return (int) memory.byteSize();
    }

    /** Offset of the first byte of the data window within {@link #memory()}. */
    public int start() {
        return start;
    }

    /** Offset one past the last byte of the data window within {@link #memory()}. */
    public int end() {
        return end;
    }

    /** Bytes in the data window. */
    public int length() {
        return end - start;
    }

    /** Bytes free in front of the window, for headers to be prepended. */
    public int headroom() {
        return start;
    }

    /** Bytes free after the window. */
    public int tailroom() {
        return capacity() - end;
    }

    /** The data window as a segment (a view: no copy). Valid until the buffer is released. */
    public MemorySegment data() {
        checkLive();
        return memory.asSlice(start, end - start);
    }

    /**
     * A view of {@code length} bytes at {@code offset} within the data window (no copy).
     *
     * @throws IndexOutOfBoundsException if the range is not inside the window
     */
    public MemorySegment slice(int offset, int length) {
        checkLive();
        java.util.Objects.checkFromIndexSize(offset, length, end - start);
        return memory.asSlice(start + offset, length);
    }

    /**
     * A {@link ByteBuffer} over the data window, position 0 and limit {@link #length()}; for
     * java.nio writes. The returned object is shared and reset on each call.
     */
    public ByteBuffer readableByteBuffer() {
        checkLive();
        nioView.limit(end).position(start);
        return nioView;
    }

    /**
     * A {@link ByteBuffer} over the tailroom, for java.nio reads; after the read call
     * {@link #commitWrite(ByteBuffer)} with it to extend the window by what was written. The
     * returned object is shared and reset on each call.
     */
    public ByteBuffer writableByteBuffer() {
        checkLive();
        nioView.limit(capacity()).position(end);
        return nioView;
    }

    /** Extends the window to the position of a buffer returned by {@link #writableByteBuffer()}. */
    public void commitWrite(ByteBuffer written) {
        if (written != nioView) {
            throw new IllegalArgumentException("not this buffer's view");
        }
        end = written.position();
    }

    /** Grows the window forward by {@code n} bytes and returns the new bytes' segment. */
    public MemorySegment prepend(int n) {
        checkLive();
        if (n < 0 || n > start) {
            throw new IndexOutOfBoundsException("prepend " + n + " with headroom " + start);
        }
        start -= n;
        return memory.asSlice(start, n);
    }

    /** Grows the window backward by {@code n} bytes and returns the new bytes' segment. */
    public MemorySegment append(int n) {
        int at = grow(n);
        return memory.asSlice(at, n);
    }

    /** Grows the window backward by {@code n} bytes without making a slice; returns the old end. */
    private int grow(int n) {
        checkLive();
        if (n < 0 || n > tailroom()) {
            throw new IndexOutOfBoundsException("append " + n + " with tailroom " + tailroom());
        }
        int at = end;
        end += n;
        return at;
    }

    /** Drops {@code n} bytes from the front of the window (a parsed header). */
    public void consume(int n) {
        if (n < 0 || n > length()) {
            throw new IndexOutOfBoundsException("consume " + n + " of " + length());
        }
        start += n;
    }

    /** Cuts the window to its first {@code n} bytes. */
    public void truncate(int n) {
        if (n < 0 || n > length()) {
            throw new IndexOutOfBoundsException("truncate to " + n + " of " + length());
        }
        end = start + n;
    }

    /** Sets the window to {@code [start, end)} within {@link #memory()}. */
    public void window(int start, int end) {
        java.util.Objects.checkFromToIndex(start, end, capacity());
        this.start = start;
        this.end = end;
    }

    /** Empties the window, puts it back at the pool's headroom and forgets recorded headers. */
    public void clear() {
        start = end = pool.headroom();
        forgetHeaders();
    }

    /**
     * Receive path: records the first {@code n} bytes of the window as {@code layer}'s header and
     * consumes them, so the window becomes that header's payload.
     *
     * @throws IllegalStateException if {@code layer} already has a header in this use
     * @throws IndexOutOfBoundsException if the window is shorter than {@code n}
     */
    public void consumeHeader(HeaderLayer layer, int n) {
        checkLive();
        checkUnrecorded(layer);
        if (n < 0 || n > length()) {
            throw new IndexOutOfBoundsException("consume " + layer + " header of " + n + " from " + length());
        }
        headerAt[layer.ordinal()] = start;
        headerLength[layer.ordinal()] = n;
        start += n;
    }

    /**
     * Send path: prepends {@code n} bytes into the headroom and records them as {@code layer}'s
     * header; the window then starts at that header. The caller writes it at
     * {@link #headerOffset}.
     *
     * @throws IllegalStateException if {@code layer} already has a header in this use
     * @throws IndexOutOfBoundsException if the headroom is smaller than {@code n}
     */
    public void pushHeader(HeaderLayer layer, int n) {
        checkLive();
        checkUnrecorded(layer);
        if (n < 0 || n > start) {
            throw new IndexOutOfBoundsException("push " + layer + " header of " + n + " with headroom " + start);
        }
        start -= n;
        headerAt[layer.ordinal()] = start;
        headerLength[layer.ordinal()] = n;
    }

    /** True if {@code layer}'s header was pushed or consumed in this use. */
    public boolean hasHeader(HeaderLayer layer) {
        return headerAt[layer.ordinal()] >= 0;
    }

    /** Offset within {@link #memory()} of {@code layer}'s header, or -1 if it has none. */
    public int headerOffset(HeaderLayer layer) {
        return headerAt[layer.ordinal()];
    }

    /** Length of {@code layer}'s header, or 0 if it has none. */
    public int headerLength(HeaderLayer layer) {
        return headerLength[layer.ordinal()];
    }

    private void checkUnrecorded(HeaderLayer layer) {
        if (headerAt[layer.ordinal()] >= 0) {
            throw new IllegalStateException(layer + " header already recorded in this buffer");
        }
    }

    /** Unsigned byte at {@code offset} within the window. */
    public int getU8(int offset) {
        java.util.Objects.checkIndex(offset, end - start);
        return Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, start + offset));
    }

    /** Big-endian unsigned 16-bit value at {@code offset} within the window. */
    public int getU16(int offset) {
        java.util.Objects.checkFromIndexSize(offset, 2, end - start);
        return Short.toUnsignedInt(memory.get(BE_SHORT, start + offset));
    }

    /** Big-endian 32-bit value at {@code offset} within the window. */
    public int getI32(int offset) {
        java.util.Objects.checkFromIndexSize(offset, 4, end - start);
        return memory.get(BE_INT, start + offset);
    }

    /** Appends one byte. */
    public void putU8(int value) {
        memory.set(ValueLayout.JAVA_BYTE, grow(1), (byte) value);
    }

    /** Appends a big-endian 16-bit value. */
    public void putU16(int value) {
        memory.set(BE_SHORT, grow(2), (short) value);
    }

    /** Appends a big-endian 32-bit value. */
    public void putI32(int value) {
        memory.set(BE_INT, grow(4), value);
    }

    /** Appends bytes. */
    public void put(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        MemorySegment.copy(bytes, offset, memory, ValueLayout.JAVA_BYTE, grow(length), length);
    }

    /** A heap copy of the window (for tests and slow paths). */
    public byte[] toByteArray() {
        checkLive();
        return data().toArray(ValueLayout.JAVA_BYTE);
    }

    /** Adds a holder: each holder calls {@link #release()} once. */
    public PooledBuffer retain() {
        checkLive();
        refCount++;
        return this;
    }

    /**
     * Releases one holder's claim; the last release returns the buffer to its pool.
     *
     * @throws IllegalStateException if the buffer was already fully released
     */
    public void release() {
        if (refCount <= 0) {
            throw new IllegalStateException("buffer released twice");
        }
        if (--refCount == 0) {
            pool.giveBack(this);
        }
    }

    /**
     * Like {@link #release()}, for a holder that noted {@link #generation()} when it took the
     * buffer: a release by a stale holder, after the buffer went back to the pool and was lent out
     * again, is caught here instead of returning the new holder's buffer.
     *
     * @throws IllegalStateException if the buffer is no longer the one of that generation, or was
     *     already fully released
     */
    public void release(int generation) {
        if (generation != this.generation) {
            throw new IllegalStateException("stale release: buffer of generation " + generation
                    + " was returned to the pool and is now lent out as generation " + this.generation);
        }
        release();
    }

    /** Same as {@link #release()}, for try-with-resources. */
    @Override
    public void close() {
        release();
    }

    /** True until the last holder has released the buffer. */
    public boolean isLive() {
        return refCount > 0;
    }

    private void checkLive() {
        if (refCount <= 0) {
            throw new IllegalStateException("buffer used after release");
        }
    }
}
