package atoll.stack.link;

import atoll.libos.buffer.PooledBuffer;

/**
 * Where engines hand finished Ethernet frames: the target writes them to its device, a test
 * collects them. Engines never do I/O themselves (DESIGN §5).
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * Takes a complete frame (the buffer's window, Ethernet header first). Ownership passes to the
     * sink, which releases the buffer once written or dropped.
     *
     * <p>A sink must not hand the frame synchronously to the {@code receiveFrame} of the interface
     * that is sending it: an interface is not re-entrant while it handles a received frame (its
     * views are reused). An in-memory link queues frames and delivers them from its loop; a sink
     * may deliver straight to a <em>different</em> interface (after
     * {@link PooledBuffer#forgetHeaders()}), as long as that one does not send back into this one
     * within the same call.
     */
    void send(PooledBuffer frame);
}
