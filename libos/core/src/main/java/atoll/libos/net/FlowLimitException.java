package atoll.libos.net;

import java.io.IOException;

/**
 * {@link TcpFlow#acquireBuffer()} could not lend a buffer: the flow already holds as many as one
 * flow may ({@code tcp.flow-buffers}), or every stream buffer is out. Datagram traffic never shares
 * these buffers, so it is not affected. The handler should give up the flow (the stack closes it
 * when the handler returns).
 */
public final class FlowLimitException extends IOException {
    public FlowLimitException(String message) {
        super(message);
    }
}
