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
     */
    void send(PooledBuffer frame);
}
