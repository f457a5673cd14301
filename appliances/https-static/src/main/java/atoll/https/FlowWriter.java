package atoll.https;

import atoll.https.http1.Response;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.TcpFlow;
import atoll.tls.TlsFlow;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes responses to a flow, coalescing the head and small bodies into one record-sized piece
 * (over TLS, one record rather than two) and passing large bodies through in record-sized pieces.
 * Over TLS the array is handed to the TLS layer directly, which queues the records and writes
 * them at {@link #flush()} (the end of a response or of a batch of frames) in as few writes as its
 * buffer allows: with Nagle off every write is a segment, so a response is not spread over one
 * segment per record. Over plain TCP it is copied into a pooled buffer.
 */
final class FlowWriter {
    /** RFC 8446 §5.1: 2^14 octets of plaintext per record; one record's worth is coalesced. */
    static final int COALESCE = 16_384;

    private final TcpFlow flow;
    private final PooledBuffer plainOut;
    private final byte[] staging = new byte[COALESCE];
    private int staged;

    /** @param plainOut a buffer for plain TCP writes (unused over TLS); the caller releases it */
    FlowWriter(TcpFlow flow, PooledBuffer plainOut) {
        this.flow = flow;
        this.plainOut = plainOut;
    }

    void send(Response r) throws IOException {
        put(r.head(), 0, r.head().length);
        for (Response.Slice s : r.body()) {
            put(s.bytes(), s.offset(), s.length());
        }
        flush();
    }

    /** Queues octets; they go out at the latest on {@link #flush()}. */
    void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (staged == 0 && len >= COALESCE) {
                emit(b, off, COALESCE);
                off += COALESCE;
                len -= COALESCE;
                continue;
            }
            int n = Math.min(len, COALESCE - staged);
            System.arraycopy(b, off, staging, staged, n);
            staged += n;
            off += n;
            len -= n;
            if (staged == COALESCE) {
                emitStaged();
            }
        }
    }

    /** Sends everything queued: the end of a response or of a batch of frames. */
    void flush() throws IOException {
        emitStaged();
        if (flow instanceof TlsFlow tls) {
            tls.flush();
        }
    }

    private void emitStaged() throws IOException {
        if (staged > 0) {
            emit(staging, 0, staged);
            staged = 0;
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        if (flow instanceof TlsFlow tls) {
            tls.queue(b, off, len);
            return;
        }
        while (len > 0) {
            plainOut.clear();
            int n = Math.min(len, plainOut.tailroom());
            MemorySegment.copy(b, off, plainOut.append(n), ValueLayout.JAVA_BYTE, 0, n);
            flow.write(plainOut);
            off += n;
            len -= n;
        }
    }
}
