package atoll.libos.net;

import atoll.libos.buffer.PooledBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One TCP connection: a reliable byte stream each way. Blocking; meant for one virtual thread
 * reading and at most one writing at a time. The caller always keeps ownership of the buffers it
 * passes in.
 */
public interface TcpFlow extends AutoCloseable {

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /**
     * Reads what is available (at least one byte, blocking until then) into the buffer's tailroom
     * and extends its window by that much.
     *
     * @return bytes read, or -1 at end of stream
     * @throws FlowTimeoutException if nothing arrived within the read timeout
     * @throws IOException if the connection failed or was closed under the reader
     */
    int read(PooledBuffer into) throws IOException;

    /**
     * Writes the buffer's whole data window, blocking until the stack has taken it. The window is
     * left as it was.
     */
    void write(PooledBuffer from) throws IOException;

    /**
     * Idle limit for each {@link #read}; {@link Duration#ZERO} (the default) waits for ever.
     */
    void readTimeout(Duration timeout);

    /** Sends FIN after what was written; reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes both directions. Idempotent. */
    @Override
    void close();
}
