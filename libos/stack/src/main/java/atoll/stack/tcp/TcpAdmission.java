package atoll.stack.tcp;

/**
 * Whether a transparent listener ({@link TcpStack#listenTransparent}) takes a connection: asked
 * for each SYN (and each SYN-cookie ACK) it would otherwise answer. A refused one is reset as if
 * nothing listened (RFC 9293 §3.10.7.1), as a firewall's "reject with TCP reset" does, and counted
 * ({@link TcpCounters#refusedByAdmission}).
 */
@FunctionalInterface
public interface TcpAdmission {
    /** Addresses are IPv4 as {@code int}s; local is the address and port the peer asked for. */
    boolean admits(int remoteAddr, int remotePort, int localAddr, int localPort);
}
