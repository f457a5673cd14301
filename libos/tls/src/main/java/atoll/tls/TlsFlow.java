package atoll.tls;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.TcpFlow;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A {@link TcpFlow} carrying TLS: reads return decrypted application data, writes are encrypted.
 * It pumps a {@link TlsServerEngine} over the underlying flow, so an appliance written against
 * {@code TcpFlow} serves TLS unchanged, on every target.
 *
 * <p>Buffers: the flow holds two buffers of the underlying flow's share ({@link TcpFlow#acquireBuffer}:
 * one for ciphertext read from the network, one for ciphertext to write), released by
 * {@link #close()}; {@link #acquireBuffer()} lends from the same share.
 *
 * <p>Deadlines are the underlying flow's, counted on ciphertext: {@link #deadlines} and
 * {@link #unitComplete} pass straight through. Bouncy Castle's
 * protocol takes and gives {@code byte[]}, so received bytes are copied once into a byte array
 * before decryption, and application bytes once into a byte array before encryption.
 *
 * <p>Threading: like every {@code TcpFlow}, one reader and one writer at a time; {@link #close()}
 * is called by the reader's thread once it stops reading (closing the underlying flow from
 * elsewhere wakes a blocked reader with an {@link IOException}).
 */
public final class TlsFlow implements TcpFlow {
    private final TcpFlow raw;
    private final TlsServerEngine engine;
    private final PooledBuffer rx;
    private final PooledBuffer tx;
    private final byte[] rxBytes;
    private final byte[] txBytes;
    /** Ciphertext bytes one write of {@code tx} carries. */
    private final int txCapacity;
    private final Object engineLock = new Object();
    private final Object writeLock = new Object();
    private boolean released;

    TlsFlow(TcpFlow raw, TlsServerEngine engine) throws IOException {
        this.raw = raw;
        this.engine = engine;
        this.rx = raw.acquireBuffer();
        PooledBuffer t;
        try {
            t = raw.acquireBuffer();
        } catch (IOException | RuntimeException e) {
            rx.release();
            throw e;
        }
        this.tx = t;
        this.rxBytes = new byte[rx.tailroom()];
        this.txCapacity = tx.tailroom();
        this.txBytes = new byte[Math.min(tx.tailroom(), engine.recordPayloadLimit())];
    }

    /** Runs the handshake to completion within {@code timeout} (one protocol unit of the flow). */
    void handshake(Duration timeout) throws IOException {
        raw.deadlines(new FlowDeadlines(timeout, timeout, timeout));
        while (true) {
            synchronized (engineLock) {
                if (!engine.handshaking()) {
                    break;
                }
            }
            if (!pump()) {
                throw new IOException("peer closed the connection during the tls handshake");
            }
        }
        if (engine.closed()) {
            throw new IOException("tls connection closed during the handshake");
        }
        raw.unitComplete(false);
    }

    /** What the handshake agreed. */
    public TlsSessionInfo session() {
        return engine.session().orElseThrow(() -> new IllegalStateException("handshake not complete"));
    }

    /** Reads ciphertext once and feeds it to the engine, then sends whatever it produced. False at end of stream. */
    private boolean pump() throws IOException {
        rx.clear();
        rx.window(0, 0);
        int n = raw.read(rx);
        if (n < 0) {
            return false;
        }
        MemorySegment.copy(rx.data(), ValueLayout.JAVA_BYTE, 0, rxBytes, 0, n);
        try {
            synchronized (engineLock) {
                engine.receive(rxBytes, 0, n);
            }
        } finally {
            flushOutput();
        }
        return true;
    }

    private void flushOutput() throws IOException {
        sendOutput(1);
    }

    /**
     * Sends the engine's output in buffer-sized writes while at least {@code atLeast} bytes wait;
     * so 1 sends everything, and the buffer's capacity sends only full buffers.
     */
    private void sendOutput(int atLeast) throws IOException {
        synchronized (writeLock) {
            while (true) {
                synchronized (engineLock) {
                    if (engine.pendingOutput() < atLeast) {
                        return;
                    }
                    tx.clear();
                    ByteBuffer bb = tx.writableByteBuffer();
                    engine.takeOutput(bb, bb.remaining());
                    tx.commitWrite(bb);
                }
                raw.write(tx);
            }
        }
    }

    @Override
    public int read(PooledBuffer into) throws IOException {
        if (into.tailroom() == 0) {
            throw new IllegalArgumentException("no tailroom to read into");
        }
        while (true) {
            synchronized (engineLock) {
                if (engine.applicationAvailable() > 0) {
                    ByteBuffer bb = into.writableByteBuffer();
                    int n = engine.readApplication(bb, bb.remaining());
                    into.commitWrite(bb);
                    return n;
                }
                if (engine.closed()) {
                    return -1;
                }
            }
            if (!pump()) {
                // The peer closed TCP without close_notify (RFC 8446 §6.1 calls that a truncation);
                // for HTTP with explicit lengths it is harmless, so it is reported as end of stream.
                return -1;
            }
        }
    }

    @Override
    public void write(PooledBuffer from) throws IOException {
        int length = from.length();
        MemorySegment data = from.data();
        for (int off = 0; off < length; ) {
            int n = Math.min(length - off, txBytes.length);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, txBytes, 0, n);
            queue(txBytes, 0, n);
            off += n;
        }
        flush();
    }

    /** Encrypts and sends {@code length} bytes of {@code bytes}; blocks until the stack took them. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        synchronized (writeLock) {
            queue(bytes, offset, length);
            flush();
        }
    }

    /**
     * Encrypts {@code length} bytes of {@code bytes} into records that wait for {@link #flush()},
     * so that a response's records reach the network in as few writes as the buffer allows (one
     * for up to about 64 KiB with the default stream buffers) instead of one write per record:
     * with Nagle off ({@link TcpFlow#write}) every write is a segment of its own. Only whole
     * buffers' worth of ciphertext is written before the flush, which bounds what waits. The
     * caller that queues must flush, from the same thread, before it waits for the peer.
     */
    public void queue(byte[] bytes, int offset, int length) throws IOException {
        synchronized (writeLock) {
            synchronized (engineLock) {
                engine.send(bytes, offset, length);
            }
            sendOutput(txCapacity);
        }
    }

    /** Writes every record queued so far; blocks until the stack took them. */
    public void flush() throws IOException {
        flushOutput();
    }

    @Override
    public void deadlines(FlowDeadlines deadlines) {
        raw.deadlines(deadlines);
    }

    /** Returns at once if decrypted data is waiting, else waits for ciphertext (or end of stream). */
    @Override
    public void awaitReadable() throws IOException {
        synchronized (engineLock) {
            if (engine.applicationAvailable() > 0 || engine.closed()) {
                return;
            }
        }
        raw.awaitReadable();
    }

    @Override
    public void unitComplete(boolean nextBegun) {
        raw.unitComplete(nextBegun);
    }

    @Override
    public PooledBuffer acquireBuffer() throws IOException {
        return raw.acquireBuffer();
    }

    /** Sends close_notify (RFC 8446 §6.1), then FIN. */
    @Override
    public void shutdownOutput() throws IOException {
        synchronized (engineLock) {
            engine.close();
        }
        flushOutput();
        raw.shutdownOutput();
    }

    @Override
    public InetSocketAddress localAddress() {
        return raw.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return raw.remoteAddress();
    }

    /** Sends close_notify if it can, closes the underlying flow and releases the buffers. Idempotent. */
    @Override
    public void close() {
        synchronized (engineLock) {
            if (released) {
                return;
            }
            engine.close();
        }
        try {
            flushOutput();
        } catch (IOException | RuntimeException gone) {
            // The peer may be gone already; close anyway.
        }
        raw.close();
        synchronized (engineLock) {
            if (!released) {
                released = true;
                rx.release();
                tx.release();
            }
        }
    }
}
