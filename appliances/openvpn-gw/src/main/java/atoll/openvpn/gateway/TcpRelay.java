package atoll.openvpn.gateway;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.TcpFlow;
import atoll.stack.tcp.CloseReason;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One tunnelled TCP connection relayed to its destination through the host's network stack. The
 * tunnel side is the stack's {@link TcpConnection} (its events arrive here under the gateway's
 * lock); the host side a blocking {@link TcpFlow} opened from a virtual thread, which then copies
 * tunnel to host while a second virtual thread copies host to tunnel. Back-pressure is TCP's own:
 * what the host does not take stays in the tunnel connection's receive buffer, which closes the
 * client's window; what the tunnel connection cannot take waits for its {@code writable} event.
 * FIN is passed on each way (half-close); a reset or failure on either side resets the other.
 */
final class TcpRelay implements TcpHandler {
    private static final System.Logger LOG = System.getLogger("openvpn-gw");

    private final TunnelGateway gateway;
    private final ReentrantLock lock;
    private final Condition changed;
    private final TcpConnection tunnel;
    private final InetSocketAddress destination;
    private volatile TcpFlow host;
    // Guarded by lock.
    private boolean tunnelClosed;

    TcpRelay(TunnelGateway gateway, TcpConnection tunnel, InetSocketAddress destination) {
        this.gateway = gateway;
        this.lock = gateway.lock();
        this.changed = lock.newCondition();
        this.tunnel = tunnel;
        this.destination = destination;
    }

    void start() {
        Thread.ofVirtual().name("openvpn-relay").start(this::run);
    }

    // ------------------------------------------------------------ tunnel events (under the lock)

    @Override
    public void readable(TcpConnection c) {
        changed.signalAll();
    }

    @Override
    public void writable(TcpConnection c) {
        changed.signalAll();
    }

    @Override
    public void peerClosed(TcpConnection c) {
        changed.signalAll();
    }

    @Override
    public void closed(TcpConnection c, CloseReason reason) {
        tunnelClosed = true;
        changed.signalAll();
        TcpFlow h = host;
        if (h != null && reason != CloseReason.NORMAL) {
            h.close(); // the client reset or timed out: end the host side too (wakes its threads)
        }
    }

    // ------------------------------------------------------------ relay threads

    private void run() {
        TcpFlow h;
        try {
            h = gateway.host().connectTcp(destination);
        } catch (IOException | RuntimeException e) {
            gateway.upstreamFailed();
            LOG.log(Level.DEBUG, "relay to " + destination + " failed: " + e.getMessage());
            abortTunnel();
            return;
        }
        host = h;
        lock.lock();
        try {
            if (tunnelClosed) {
                h.close();
                return;
            }
        } finally {
            lock.unlock();
        }
        Thread back = Thread.ofVirtual().name("openvpn-relay-back").start(() -> hostToTunnel(h));
        try {
            tunnelToHost(h);
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            h.close();
        }
    }

    private void tunnelToHost(TcpFlow h) {
        PooledBuffer b = null;
        try {
            b = h.acquireBuffer();
            while (true) {
                b.clear();
                int n;
                lock.lock();
                try {
                    while (true) {
                        if (tunnelClosed && tunnel.readableBytes() == 0) {
                            return;
                        }
                        gateway.touch();
                        n = tunnel.read(b.memory().asSlice(b.end(), b.tailroom()));
                        if (n > 0) {
                            break;
                        }
                        if (tunnel.peerHasClosed()) {
                            n = -1;
                            break;
                        }
                        changed.await();
                    }
                    gateway.rearm(); // reading may have opened the window: an update went out
                } finally {
                    lock.unlock();
                }
                if (n < 0) {
                    h.shutdownOutput(); // the client's FIN, passed on
                    return;
                }
                b.append(n);
                h.write(b);
            }
        } catch (IOException | RuntimeException e) {
            abortTunnel();
            h.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortTunnel();
        } finally {
            if (b != null) {
                b.release();
            }
        }
    }

    private void hostToTunnel(TcpFlow h) {
        PooledBuffer b = null;
        try {
            b = h.acquireBuffer();
            while (true) {
                b.clear();
                int n = h.read(b);
                lock.lock();
                try {
                    if (tunnelClosed) {
                        return;
                    }
                    gateway.touch();
                    if (n < 0) {
                        tunnel.close(); // the server's FIN, passed on after what was written
                        gateway.rearm();
                        return;
                    }
                    long offset = 0;
                    while (offset < n) {
                        offset += tunnel.write(b.memory(), b.start() + offset, n - offset);
                        gateway.rearm();
                        if (offset < n) {
                            changed.await();
                            if (tunnelClosed) {
                                return;
                            }
                            gateway.touch();
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            abortTunnel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortTunnel();
        } finally {
            if (b != null) {
                b.release();
            }
        }
    }

    private void abortTunnel() {
        lock.lock();
        try {
            if (!tunnelClosed) {
                gateway.touch();
                tunnel.abort();
                gateway.rearm();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
