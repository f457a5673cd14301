package atoll.libos.net;

import atoll.libos.buffer.PooledBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One TCP connection: a reliable byte stream each way. Blocking; meant for one virtual thread
 * reading and at most one writing at a time. The caller always keeps ownership of the buffers it
 * passes in.
 *
 * <p><strong>Deadlines.</strong> A flow starts with {@link FlowDeadlines#NONE}; a server handler
 * sets its protocol's deadlines first thing with {@link #deadlines}. The flow then counts time per
 * <em>protocol unit</em> (a DNS message, an HTTP request head, an SSH packet):
 * <ul>
 *   <li>between units, {@link #read} and {@link #awaitReadable} wait at most until the idle
 *       deadline, counted from the end of the last unit;
 *   <li>the first octet read after a unit ended starts the next one: from then on, until the
 *       handler calls {@link #unitComplete}, the unit deadline counts from that octet. Sending one
 *       octet at a time does not move it, so a trickling peer is closed when it passes;
 *   <li>each {@link #write} must be taken by the peer within the write deadline.
 * </ul>
 * Bytes that have arrived are always delivered, even at the instant a deadline passes: a deadline
 * only ends a wait, or a read called after the unit deadline has already passed. A missed deadline
 * closes the flow and raises {@link FlowTimeoutException}.
 *
 * <p><strong>Buffers.</strong> A flow's data lives in buffers from {@link #acquireBuffer()}: a pool
 * of their own (never the one datagrams are received into, so stream traffic cannot starve
 * datagram traffic), and at most a fixed number per flow. A handler that does not hold a buffer
 * while it waits for the next unit ({@link #awaitReadable}) costs no pooled memory while idle.
 */
public interface TcpFlow extends AutoCloseable {

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /** Sets the deadlines (see the class comment). Call before the first read; may change between units. */
    void deadlines(FlowDeadlines deadlines);

    /**
     * Reads what is available (at least one byte, blocking until then) into the buffer's tailroom
     * and extends its window by that much.
     *
     * @return bytes read, or -1 at end of stream
     * @throws FlowTimeoutException if the idle or unit deadline passed (the flow is then closed)
     * @throws IllegalArgumentException if {@code into} has no tailroom
     * @throws IOException if the connection failed or was closed under the reader
     */
    int read(PooledBuffer into) throws IOException;

    /**
     * Waits, without taking a buffer, until something can be read (data or end of stream), at
     * most until the current deadline. Returns at once if data is already waiting.
     *
     * @throws FlowTimeoutException if the deadline passed first (the flow is then closed)
     * @throws IOException if the connection failed or was closed under the caller
     */
    void awaitReadable() throws IOException;

    /**
     * The protocol unit being read is complete (and answered, if answers count as part of it): the
     * idle deadline starts now. If {@code nextBegun}, octets of the next unit are already buffered
     * by the handler: that unit's deadline starts now instead.
     */
    void unitComplete(boolean nextBegun);

    /**
     * Writes the buffer's whole data window, blocking until the stack has taken it, at most until
     * the write deadline. The window is left as it was.
     *
     * <p>The stack sends what a write gives it without waiting for more: every target turns
     * Nagle's algorithm off on stream flows (RFC 1122 §4.2.3.4: "there MUST be a way for an
     * application to disable the Nagle algorithm on an individual connection"). Otherwise a
     * unit's short last segment waits for the ACK of the one before, which a peer delays by up to
     * 40 ms (Linux) or 200 ms. So a handler should hand over a whole protocol unit (a response,
     * a batch of frames) in as few writes as it can, rather than many small ones.
     *
     * @throws FlowTimeoutException if the peer did not make room in time (the flow is then closed)
     */
    void write(PooledBuffer from) throws IOException;

    /**
     * Lends a buffer for this flow's data from the stack's stream pool, with the pool's headroom
     * free in front of an empty window. The caller releases it ({@link PooledBuffer#release()}),
     * which gives the flow its share back.
     *
     * @throws FlowLimitException if the flow already holds its share, or the stream pool is empty
     */
    PooledBuffer acquireBuffer() throws IOException;

    /** Sends FIN after what was written; reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes both directions; a blocked read, wait or write ends with an IOException. Idempotent. */
    @Override
    void close();
}
