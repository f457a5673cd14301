package atoll.stack.tcp;

/**
 * What the application hears from one connection. Called by the stack on the thread that drives
 * it, after the segment or timer that caused the event has been fully processed, so a handler may
 * call back into the connection (read, write, close). Every method has an empty default.
 */
public interface TcpHandler {

    /** The handshake completed (active open), or the connection was accepted (passive open). */
    default void connected(TcpConnection c) {}

    /** New in-order bytes are ready to {@link TcpConnection#read read}. */
    default void readable(TcpConnection c) {}

    /** Room opened in the send buffer after a write took less than offered. */
    default void writable(TcpConnection c) {}

    /** The peer sent FIN: no more bytes will arrive (once the buffered ones are read). */
    default void peerClosed(TcpConnection c) {}

    /** The connection reached CLOSED; its buffers are released and it leaves the stack. */
    default void closed(TcpConnection c, CloseReason reason) {}
}
