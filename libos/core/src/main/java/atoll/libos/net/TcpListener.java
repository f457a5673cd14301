package atoll.libos.net;

import java.net.InetSocketAddress;

/** A listening TCP socket. */
public interface TcpListener extends AutoCloseable {

    /** The bound address, with the actual port if 0 was asked for. */
    InetSocketAddress localAddress();

    /** Number of accepted flows whose handler has not yet returned. */
    int activeFlows();

    /** Stops accepting. Flows already accepted carry on until their handler returns. Idempotent. */
    @Override
    void close();
}
