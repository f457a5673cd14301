package atoll.stack.tcp;

/** A passive open (RFC 9293 LISTEN) on one local address and port; created by {@link TcpStack#listen}. */
public final class TcpListener {
    final TcpStack stack;
    final int localAddr;
    final int localPort;
    final TcpListenHandler handler;
    /** Non-null for a transparent listener (any address, any port): who may connect. */
    final TcpAdmission admission;
    /** Connections in SYN-RECEIVED that came from this listener (the backlog, RFC 4987 §3.6). */
    int halfOpen;
    boolean closed;

    TcpListener(TcpStack stack, int localAddr, int localPort, TcpListenHandler handler, TcpAdmission admission) {
        this.stack = stack;
        this.admission = admission;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.handler = handler;
    }

    /** The local address, or 0 for every address of the stack. */
    public int localAddress() {
        return localAddr;
    }

    /** True for {@link TcpStack#listenTransparent}'s listener (its port is then -1). */
    public boolean isTransparent() {
        return admission != null;
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
