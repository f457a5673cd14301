package atoll.socket;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.TcpFlow;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP connection on a blocking {@link SocketChannel}, meant for a virtual thread (which the JDK
 * parks, rather than blocking a carrier, while the socket is not ready).
 *
 * <p>Read timeout: the JDK's channels have no timed read into a {@link ByteBuffer}, so a timed
 * read arms a timer on the event loop that closes the channel if the read is still waiting when
 * it fires; the read then ends with {@link AsynchronousCloseException}, which is reported as
 * {@link FlowTimeoutException}. Nothing polls. <strong>A read timeout therefore closes the
 * flow</strong>: after a {@link FlowTimeoutException} every read and write fails. (That is what
 * idle limits are for: RFC 7766 §6.2.3 has a DNS server close an idle connection.)
 */
final class SocketTcpFlow implements TcpFlow {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    private static final int IDLE = 0;
    private static final int READING = 1;
    private static final int TIMED_OUT = 2;

    private final SocketChannel channel;
    private final EventLoop loop;
    private final SocketNetworkStack stack;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress remoteAddress;
    private final AtomicInteger readState = new AtomicInteger(IDLE);
    private final Runnable expire = this::expire;
    private volatile Duration readTimeout = Duration.ZERO;

    SocketTcpFlow(SocketNetworkStack stack, SocketChannel channel) throws IOException {
        this.stack = stack;
        this.loop = stack.loop();
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code into} has no tailroom
     */
    @Override
    public int read(PooledBuffer into) throws IOException {
        ByteBuffer bb = into.writableByteBuffer();
        if (!bb.hasRemaining()) {
            throw new IllegalArgumentException("no tailroom to read into");
        }
        Duration timeout = readTimeout;
        int n;
        if (timeout.isZero()) {
            n = channel.read(bb);
        } else {
            if (readState.get() == TIMED_OUT) {
                throw new FlowTimeoutException("flow to " + remoteAddress + " was closed by an earlier read timeout");
            }
            readState.set(READING);
            LoopTimer timer = loop.schedule(timeout, expire);
            try {
                n = channel.read(bb);
            } catch (AsynchronousCloseException e) {
                if (readState.get() == TIMED_OUT) {
                    throw new FlowTimeoutException("no data from " + remoteAddress + " within " + timeout);
                }
                throw e;
            } finally {
                timer.cancel();
                readState.compareAndSet(READING, IDLE);
            }
        }
        if (n > 0) {
            into.commitWrite(bb);
        }
        return n;
    }

    /** On the loop: the read has waited too long; close the channel under it. */
    private void expire() {
        if (readState.compareAndSet(READING, TIMED_OUT)) {
            LOG.log(Level.DEBUG, "read timeout on flow from {0}; closing it", remoteAddress);
            // Closing a channel in blocking mode does not wait for the reader: it signals it and
            // lets the reader's thread finish the close, so the loop is not held up.
            closeChannel();
        }
    }

    @Override
    public void write(PooledBuffer from) throws IOException {
        ByteBuffer bb = from.readableByteBuffer();
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    @Override
    public void readTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative read timeout " + timeout);
        }
        readTimeout = timeout;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        closeChannel();
        stack.flowClosed(this);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing flow from " + remoteAddress + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "tcp " + localAddress + " <-> " + remoteAddress;
    }
}
