package atoll.socket;

import atoll.libos.metrics.Metrics;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.TcpListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket in blocking mode with an acceptor on a virtual thread; each accepted
 * connection is admitted under the stack's {@link atoll.libos.net.StreamLimits} (or closed at once,
 * counted), then gets a virtual thread of its own running the {@link FlowHandler}, and is closed
 * when the handler returns or throws. The listen backlog is {@code tcp.backlog}.
 */
final class SocketTcpListener implements TcpListener {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    /** Pause after an accept error other than close (EMFILE, ENOBUFS) so it cannot spin. */
    private static final long ACCEPT_ERROR_PAUSE_MILLIS = 100;

    private final SocketNetworkStack stack;
    private final ServerSocketChannel server;
    private final FlowHandler handler;
    private final InetSocketAddress localAddress;
    private final Metrics.Counter accepted;
    private final AtomicInteger active = new AtomicInteger();
    private final Thread acceptor;

    private SocketTcpListener(SocketNetworkStack stack, ServerSocketChannel server, FlowHandler handler)
            throws IOException {
        this.stack = stack;
        this.server = server;
        this.handler = handler;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.accepted = stack.metrics().counter("socket.tcp.accepted");
        this.acceptor = Thread.ofVirtual().name("atoll-accept-" + localAddress).unstarted(this::acceptLoop);
    }

    static SocketTcpListener open(SocketNetworkStack stack, InetSocketAddress local, FlowHandler handler)
            throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(handler, "handler");
        ServerSocketChannel ch = ServerSocketChannel.open(
                local.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.bind(local, stack.limits().backlog());
            SocketTcpListener l = new SocketTcpListener(stack, ch, handler);
            l.acceptor.start();
            return l;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int activeFlows() {
        return active.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) { // includes AsynchronousCloseException
                break;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept on " + localAddress + " failed", e);
                try {
                    Thread.sleep(ACCEPT_ERROR_PAUSE_MILLIS);
                } catch (InterruptedException ie) {
                    break;
                }
                continue;
            }
            accepted.increment();
            InetSocketAddress remote;
            try {
                remote = (InetSocketAddress) ch.getRemoteAddress();
            } catch (IOException e) { // reset before we could read its address
                LOG.log(Level.DEBUG, "accepted connection vanished", e);
                closeQuietly(ch);
                continue;
            }
            if (!stack.admit(remote.getAddress())) { // over a limit: counted by the stack
                closeQuietly(ch);
                continue;
            }
            SocketTcpFlow flow;
            try {
                flow = new SocketTcpFlow(stack, ch, stack.flowClock());
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "accepted connection vanished", e);
                stack.unadmit(remote.getAddress());
                closeQuietly(ch);
                continue;
            }
            if (!stack.flowOpened(flow)) { // shutting down: the stack no longer takes flows
                flow.close();
                stack.unadmit(remote.getAddress());
                continue;
            }
            stack.admitted(flow);
            active.incrementAndGet();
            stack.handlerStarted();
            Thread.ofVirtual().name("atoll-flow-" + flow.remoteAddress()).start(() -> serve(flow));
        }
        LOG.log(Level.DEBUG, "stopped accepting on {0}", localAddress);
    }

    private void serve(SocketTcpFlow flow) {
        try {
            handler.onFlow(flow);
        } catch (IOException | RuntimeException e) {
            // Expected when the peer resets or the stack shuts down under a blocked read.
            LOG.log(Level.DEBUG, "flow handler for " + flow + " ended with " + e, e);
        } catch (Error e) {
            LOG.log(Level.ERROR, "flow handler for " + flow + " failed", e);
            throw e;
        } finally {
            flow.close();
            active.decrementAndGet();
            stack.handlerFinished();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to do with a connection we are dropping
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the acceptor has stopped: a channel closed while a virtual thread is blocked
     * in {@code accept} is only released by that thread, so until it wakes the kernel could still
     * complete connections on the listening socket.
     */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing listener " + localAddress + " failed", e);
        }
        if (Thread.currentThread() != acceptor) {
            boolean interrupted = false;
            while (acceptor.isAlive()) {
                try {
                    acceptor.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        stack.listenerClosed(this);
    }
}
