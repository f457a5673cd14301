package atoll.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One UDP socket per address, all on one port: how both UDP endpoint kinds (java.nio's and the
 * batched one) bind a wildcard. For port 0 the first bind picks the port; if another address has
 * it taken, every socket is closed and the search starts again, at most
 * {@link #WILDCARD_PORT_ATTEMPTS} times.
 */
final class OnePortBinding {
    /** Port searches for a wildcard bound to port 0 before giving up. */
    static final int WILDCARD_PORT_ATTEMPTS = 16;

    /** How one kind of socket is bound, asked for its port, and closed. */
    interface Binder<S> {
        S bind(InetSocketAddress local) throws IOException;

        int port(S socket) throws IOException;

        void closeQuietly(S socket);
    }

    private OnePortBinding() {}

    static <S> List<S> bindEach(List<InetAddress> addresses, int port, Binder<S> binder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<S> sockets = new ArrayList<>(addresses.size());
            int p = port;
            try {
                for (InetAddress a : addresses) {
                    S s = binder.bind(new InetSocketAddress(a, p));
                    sockets.add(s);
                    p = binder.port(s);
                }
                return sockets;
            } catch (BindException e) {
                sockets.forEach(binder::closeQuietly);
                if (port != 0 || sockets.isEmpty() || attempt == WILDCARD_PORT_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                sockets.forEach(binder::closeQuietly);
                throw e;
            }
        }
    }
}
