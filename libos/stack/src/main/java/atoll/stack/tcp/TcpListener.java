package atoll.stack.tcp;

/** A passive open (RFC 9293 LISTEN) on one local address and port; created by {@link TcpStack#listen}. */
public final class TcpListener {
    final TcpStack stack;
    final int localAddr;
    final int localPort;
    final TcpListenHandler handler;
    /** Connections in SYN-RECEIVED that came from this listener (the backlog, RFC 4987 §3.6). */
    int halfOpen;
    boolean closed;

    TcpListener(TcpStack stack, int localAddr, int localPort, TcpListenHandler handler) {
        this.stack = stack;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.handler = handler;
    }

    /** The local address, or 0 for every address of the stack. */
    public int localAddress() {
        return localAddr;
    }

    public int localPort() {
        return localPort;
    }

    /** Stops listening; connections already accepted or half-open carry on. */
    public void close() {
        if (!closed) {
            closed = true;
            stack.unlisten(this);
        }
    }
}
