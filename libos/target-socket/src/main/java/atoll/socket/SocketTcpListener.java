package atoll.socket;

import atoll.libos.metrics.Metrics;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.TcpListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A non-blocking listening socket with an acceptor on a virtual thread that waits for the event
 * loop to report OP_ACCEPT readiness (as flows wait for theirs); each accepted
 * connection is admitted under the stack's {@link atoll.libos.net.StreamLimits} (or closed at once,
 * counted), then gets a virtual thread of its own running the {@link FlowHandler}, and is closed
 * when the handler returns or throws. The listen backlog is {@code tcp.backlog}.
 *
 * <p>Why not a blocking {@code accept} on the virtual thread: the JDK implements that by parking
 * the virtual thread on its own poller, a platform thread that then sits in {@code epoll_wait}
 * for the rest of the process. HotSpot's exit waits up to 300 ms for threads in native code
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}), so that one thread cost every orderly
 * stop 300 ms. With the loop's readiness no thread is left in native code once the loop stops.
 */
final class SocketTcpListener implements TcpListener, EventLoop.ReadyHandler {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    /** Pause after an accept error other than close (EMFILE, ENOBUFS) so it cannot spin. */
    private static final long ACCEPT_ERROR_PAUSE_MILLIS = 100;
    /** Longest wait in {@link #close} for the loop to release the listening socket. */
    private static final Duration LOOP_PASS_WAIT = Duration.ofSeconds(1);

    private final SocketNetworkStack stack;
    private final ServerSocketChannel server;
    private final FlowHandler handler;
    private final InetSocketAddress localAddress;
    private final Metrics.Counter accepted;
    private final AtomicInteger active = new AtomicInteger();
    private final Thread acceptor;
    private final SelectionKey key;

    private SocketTcpListener(SocketNetworkStack stack, ServerSocketChannel server, FlowHandler handler)
            throws IOException {
        this.stack = stack;
        this.server = server;
        this.handler = handler;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.accepted = stack.metrics().counter("socket.tcp.accepted");
        this.acceptor = Thread.ofVirtual().name("atoll-accept-" + localAddress).unstarted(this::acceptLoop);
        server.configureBlocking(false);
        this.key = stack.tcpLoop().register(server, 0, this);
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
                if (ch == null) {
                    awaitAcceptable();
                    continue;
                }
            } catch (ClosedChannelException | CancelledKeyException e) { // includes AsynchronousCloseException
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

    /** Arms OP_ACCEPT and parks until the loop reports it or {@link #close} unparks. */
    private void awaitAcceptable() {
        key.interestOps(SelectionKey.OP_ACCEPT); // CancelledKeyException once closed: ends the loop
        stack.tcpLoop().wakeup(); // the new interest takes effect at the loop's next select
        if (server.isOpen()) {
            LockSupport.park(this);
        }
    }

    /** On the loop: a connection is waiting; stop reporting it until the acceptor asks again. */
    @Override
    public void onReady(SelectionKey k) {
        try {
            k.interestOps(0);
        } catch (CancelledKeyException closedMeanwhile) {
            // close() unparks the acceptor itself
        }
        LockSupport.unpark(acceptor);
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

    /**
     * A registered channel's socket is closed by the selector when it deregisters the cancelled
     * key, at the loop's next select: wait for one pass of the loop (a timer runs after its
     * select), so that a closed listener refuses connections at once. Bounded, in case the loop
     * is stuck; a stopped loop closes its selector and with it the socket.
     */
    private void awaitLoopPass() {
        EventLoop loop = stack.tcpLoop();
        if (loop.inLoop() || !loop.isRunning()) {
            return;
        }
        CountDownLatch passed = new CountDownLatch(1);
        loop.schedule(Duration.ZERO, passed::countDown);
        boolean interrupted = false;
        long deadline = System.nanoTime() + LOOP_PASS_WAIT.toNanos();
        while (passed.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                passed.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
     * <p>Returns once the acceptor has stopped, so that no connection is accepted after it.
     */
    @Override
    public void close() {
        key.cancel();
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing listener " + localAddress + " failed", e);
        }
        LockSupport.unpark(acceptor);
        awaitLoopPass();
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
