package atoll.tap;

import atoll.libos.net.FlowHandler;
import atoll.libos.net.TcpListener;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpListenHandler;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening TCP port on the tap target's stack: each connection the engine completes gets a
 * {@link TapTcpFlow} and a virtual thread of its own running the appliance's {@link FlowHandler};
 * the flow is closed when the handler returns.
 */
final class TapTcpListener implements TcpListener, TcpListenHandler {
    private static final System.Logger LOG = System.getLogger("atoll.tap");

    private final TapNetworkStack stack;
    private final InetSocketAddress local;
    private final FlowHandler handler;
    private final AtomicInteger active = new AtomicInteger();
    private volatile atoll.stack.tcp.TcpListener engineListener;
    private volatile boolean closed;

    TapTcpListener(TapNetworkStack stack, InetSocketAddress local, FlowHandler handler) {
        this.stack = stack;
        this.local = local;
        this.handler = handler;
    }

    void attach(atoll.stack.tcp.TcpListener engineListener) {
        this.engineListener = engineListener;
    }

    /** On the loop: a passive open completed. */
    @Override
    public TcpHandler accepted(TcpConnection c) {
        if (closed) {
            return null; // refused: reset
        }
        InetSocketAddress peer = new InetSocketAddress(
                new atoll.stack.wire.Ipv4Address(c.remoteAddress()).toInetAddress(), c.remotePort());
        if (!stack.admit(peer)) {
            return null; // over StreamLimits: reset, counted
        }
        TapTcpFlow flow = new TapTcpFlow(stack, c);
        flow.admittedFrom = peer;
        stack.flowOpened(flow);
        active.incrementAndGet();
        stack.handlerStarted();
        Thread.ofVirtual().name("atoll-tap-flow").start(() -> {
            try {
                handler.onFlow(flow);
            } catch (java.io.IOException e) {
                LOG.log(Level.DEBUG, "flow ended: {0}", e.toString());
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "flow handler failed", e);
            } finally {
                flow.close();
                active.decrementAndGet();
                stack.handlerEnded();
            }
        });
        return flow;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int activeFlows() {
        return active.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.listenerClosed(this);
        atoll.stack.tcp.TcpListener l = engineListener;
        if (l != null) {
            // Synchronously: once close returns, a new connection is refused (reset).
            try {
                stack.loop().call(() -> {
                    l.close();
                    return null;
                }, TapNetworkStack.LOOP_CALL_LIMIT);
            } catch (java.io.IOException e) {
                LOG.log(Level.WARNING, "closing the listener on the loop failed: {0}", e.getMessage());
            }
        }
    }
}
