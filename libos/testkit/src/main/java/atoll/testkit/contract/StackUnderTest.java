package atoll.testkit.contract;

import atoll.libos.buffer.BufferPool;
import atoll.libos.net.NetworkStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One booted target for one contract test, as its subclass builds it: the network stack under
 * test, and host sockets ("peers") that can reach it. The socket target's peers are loopback
 * sockets; a target with its own stack supplies sockets that reach its device (for instance the
 * kernel's, inside the network namespace holding a TAP device).
 */
public interface StackUnderTest extends AutoCloseable {

    /** The stack under test. */
    NetworkStack network();

    /** Its buffer pool. */
    default BufferPool pool() {
        return network().bufferPool();
    }

    /**
     * The value of the metric {@code name} the target counted, if this harness can read the
     * target's metrics; empty if not (contract tests then skip that one check).
     */
    default java.util.OptionalLong metric(String name) {
        return java.util.OptionalLong.empty();
    }

    /** The address of {@code family} the stack answers on, where contract tests bind and peers send. */
    InetAddress address(StandardProtocolFamily family);

    /** A new host UDP socket of {@code family}, bound, that can exchange datagrams with {@link #address}. */
    DatagramChannel openPeerUdp(StandardProtocolFamily family) throws IOException;

    /** A new host TCP connection to {@code to} (blocking mode). */
    SocketChannel connectPeerTcp(InetSocketAddress to) throws IOException;

    /** The target's orderly shutdown ({@code Platform.shutdown}); idempotent. */
    void shutdown(Duration grace);

    /** Shuts down with a 5 s grace if not yet done, then fails if a pooled buffer is still out. */
    @Override
    void close();
}
