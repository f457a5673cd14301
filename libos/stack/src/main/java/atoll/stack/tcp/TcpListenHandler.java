package atoll.stack.tcp;

/** Decides, for each connection a listener completes, which handler serves it. */
@FunctionalInterface
public interface TcpListenHandler {

    /**
     * A passive open reached ESTABLISHED. Returns the connection's handler ({@code connected} is
     * then called on it), or null to refuse: the connection is reset.
     */
    TcpHandler accepted(TcpConnection c);
}
