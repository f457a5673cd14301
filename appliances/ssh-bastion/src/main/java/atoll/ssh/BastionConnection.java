package atoll.ssh;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.libos.net.Addresses;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import atoll.ssh.connection.ServerSession;
import atoll.ssh.connection.SessionEvent;
import atoll.ssh.connection.SessionPolicy;
import atoll.ssh.transport.ServerHostKey;
import atoll.ssh.transport.ServerTransport;
import atoll.ssh.transport.TransportPolicy;
import atoll.ssh.wire.DisconnectReason;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: drives the sans-I/O {@link ServerTransport} and {@link ServerSession}
 * from the client's flow on this virtual thread, and one more virtual thread per channel pumps its
 * destination's data back. The engines are only touched under {@link #engineLock}; output is
 * drained and written under {@link #writeLock}, so it leaves in the order it was produced.
 */
final class BastionConnection {
    private static final System.Logger LOG = System.getLogger("ssh-bastion");
    private static final System.Logger AUDIT = System.getLogger("ssh-bastion.audit");

    record Settings(TransportPolicy transport, SessionPolicy session, UsersDirectory users, List<ServerHostKey> hostKeys,
            NetworkStack net, Clock clock, Entropy entropy, Duration loginTimeout, Duration idleTimeout,
            Duration packetTimeout, Duration writeTimeout, SourceThrottle throttle) {}

    private final TcpFlow flow;
    private final Settings settings;
    private final ServerTransport transport;
    private final ServerSession session;
    private final ReentrantLock engineLock = new ReentrantLock();
    private final Condition windowOpened = engineLock.newCondition();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<Integer, Forward> forwards = new ConcurrentHashMap<>();
    private final String source;
    private final long started;
    private volatile long lastActivity;
    private volatile boolean shuttingDown;
    private String authFailure;
    private int authFailures;
    private int channelsOpened;

    /** One direct-tcpip channel and its destination. */
    private final class Forward {
        final int channel;
        final String destination;
        final long opened = settings.clock().nanoTime();
        volatile TcpFlow dest;
        volatile long toDestination;
        volatile long fromDestination;
        volatile boolean clientEof;
        volatile boolean destEof;
        volatile String closeReason;
        boolean audited;

        Forward(int channel, String destination) {
            this.channel = channel;
            this.destination = destination;
        }
    }

    BastionConnection(TcpFlow flow, Settings settings) {
        this.flow = flow;
        this.settings = settings;
        this.started = settings.clock().nanoTime();
        this.lastActivity = started;
        this.source = Addresses.format(flow.remoteAddress());
        this.transport = new ServerTransport(settings.transport(), settings.hostKeys(), settings.entropy(), started);
        this.session = new ServerSession(transport, settings.users(), settings.session(), flow.remoteAddress().getAddress());
    }

    void run() {
        String reason = "client closed the connection";
        PooledBuffer in = null;
        FlowDeadlines current = null;
        byte[] bytes = new byte[0];
        loginWatch = settings.clock().schedule(settings.loginTimeout(), this::checkLogin);
        try {
            in = flow.acquireBuffer();
            flush();
            while (!shuttingDown) {
                boolean authenticated;
                engineLock.lock();
                try {
                    authenticated = session.authenticated();
                } finally {
                    engineLock.unlock();
                }
                // Before authentication the idle deadline is the login grace (and a timer ends the
                // login at that grace however the client trickles); after it, the idle watch
                // counts traffic either way, channels included, so the flow itself has none.
                Duration idle = authenticated ? Duration.ZERO : settings.loginTimeout();
                if (authenticated) {
                    startIdleWatch();
                }
                // One protocol unit is one SSH packet (or the identification line): a client that
                // trickles a packet is cut at packet.timeout however slowly it sends.
                FlowDeadlines wanted = new FlowDeadlines(idle, settings.packetTimeout(), settings.writeTimeout());
                if (!wanted.equals(current)) {
                    flow.deadlines(wanted);
                    current = wanted;
                }
                in.clear();
                int n;
                try {
                    n = flow.read(in);
                } catch (FlowTimeoutException e) {
                    // The flow is closed by the missed deadline: no DISCONNECT can be sent.
                    reason = transport.pendingInput() > 0 ? "packet timeout" : "login timeout";
                    break;
                }
                if (n < 0) {
                    break;
                }
                lastActivity = settings.clock().nanoTime();
                // The engines work on arrays: one copy out of the flow's pooled buffer, reused.
                if (bytes.length < n) {
                    bytes = new byte[in.capacity()];
                }
                MemorySegment.copy(in.data(), ValueLayout.JAVA_BYTE, 0, bytes, 0, n);
                List<SessionEvent> events;
                long unitsBefore;
                long unitsAfter;
                int pending;
                engineLock.lock();
                try {
                    unitsBefore = transport.unitsIn();
                    transport.receive(bytes, 0, n, lastActivity);
                    unitsAfter = transport.unitsIn();
                    pending = transport.pendingInput();
                    events = session.drainEvents();
                } finally {
                    engineLock.unlock();
                }
                if (pending == 0) {
                    flow.unitComplete(false);
                } else if (unitsAfter != unitsBefore) {
                    flow.unitComplete(true);
                }
                flush();
                for (SessionEvent e : events) {
                    handle(e);
                }
                if (transport.closed()) {
                    reason = transport.closeReason() + ": " + transport.closeDescription();
                    break;
                }
            }
            if (shuttingDown) {
                reason = BY_APPLICATION + stopReason();
            }
        } catch (IOException e) {
            reason = shuttingDown ? BY_APPLICATION + stopReason() : "connection lost: " + e.getMessage();
        } finally {
            if (in != null) {
                in.release();
            }
            done = true;
            loginWatch.cancel();
            Timer w = idleWatch;
            if (w != null) {
                w.cancel();
            }
            for (Forward f : forwards.values()) {
                closeForward(f, "connection closed");
            }
            audit(reason);
        }
    }

    private volatile Timer idleWatch;
    private Timer loginWatch;
    private volatile boolean done;
    private volatile boolean loginExpired;

    private void checkLogin() {
        if (done || shuttingDown) {
            return;
        }
        engineLock.lock();
        try {
            if (session.authenticated()) {
                return;
            }
        } finally {
            engineLock.unlock();
        }
        loginExpired = true;
        Thread.ofVirtual().name("ssh-login-timeout").start(this::shutdown);
    }
    private volatile boolean idleExpired;

    /** Checks for traffic either way every so often once authenticated (Clock timers must not block). */
    private void startIdleWatch() {
        if (idleWatch == null) {
            idleWatch = settings.clock().schedule(settings.idleTimeout(), this::checkIdle);
        }
    }

    private void checkIdle() {
        if (done || shuttingDown) {
            return;
        }
        long quiet = settings.clock().nanoTime() - lastActivity;
        long limit = settings.idleTimeout().toNanos();
        if (quiet >= limit) {
            idleExpired = true;
            // Sending DISCONNECT may block: not on the timer's event loop.
            Thread.ofVirtual().name("ssh-idle").start(this::shutdown);
        } else {
            idleWatch = settings.clock().schedule(Duration.ofNanos(limit - quiet), this::checkIdle);
        }
    }

    private String disconnect(DisconnectReason why, String description) {
        engineLock.lock();
        try {
            transport.disconnect(why, description);
        } finally {
            engineLock.unlock();
        }
        try {
            flush();
        } catch (IOException ignored) {
            // the connection is going anyway
        }
        return why + ": " + description;
    }

    /** Writes what the engines produced, in order. */
    private void flush() throws IOException {
        writeLock.lock();
        try {
            byte[] out;
            int length;
            engineLock.lock();
            try {
                if (transport.output().length() == 0) {
                    return;
                }
                // Valid until the next swap, which only a later flush (under writeLock) makes.
                out = transport.output().swap();
                length = transport.output().swappedLength();
            } finally {
                engineLock.unlock();
            }
            write(flow, out, 0, length);
        } finally {
            writeLock.unlock();
        }
    }

    private void write(TcpFlow to, byte[] data, int off, int len) throws IOException {
        PooledBuffer b = to.acquireBuffer();
        try {
            while (len > 0) {
                b.clear();
                int n = Math.min(len, b.tailroom());
                MemorySegment room = b.append(n);
                MemorySegment.copy(data, off, room, ValueLayout.JAVA_BYTE, 0, n);
                to.write(b);
                off += n;
                len -= n;
            }
        } finally {
            b.release();
        }
    }

    private void handle(SessionEvent event) throws IOException {
        switch (event) {
            case SessionEvent.Authenticated(String user, String fp, String cert) ->
                    LOG.log(Level.INFO, "accepted publickey for " + user + " from " + source + " " + fp
                            + (cert == null ? "" : " certificate " + cert));
            case SessionEvent.AuthRejected(String user, String fp, String why) -> {
                authFailures++;
                settings.throttle().failed(flow.remoteAddress().getAddress(), settings.clock().nanoTime());
                // Every distinct reason, in order: a client that tries a certificate and then its
                // plain key must not hide why the certificate was refused.
                if (authFailure == null) {
                    authFailure = why;
                } else if (!java.util.Arrays.asList(authFailure.split("; ")).contains(why) && authFailure.length() < 1000) {
                    authFailure = authFailure + "; " + why;
                }
                LOG.log(Level.INFO, "rejected " + user + " from " + source + " key " + fp + ": " + why);
            }
            case SessionEvent.ChannelRefused(String type, String destination, String why) ->
                    auditChannel(type, destination, 0, 0, 0, "refused: " + why);
            case SessionEvent.OpenDirectTcpip(int ch, String host, int port, String oh, int op) -> {
                channelsOpened++;
                Forward f = new Forward(ch, host + ":" + port);
                forwards.put(ch, f);
                Thread.ofVirtual().name("ssh-channel-" + ch).start(() -> pump(f, host, port));
            }
            case SessionEvent.Data(int ch, byte[] data, int offset, int length) -> {
                Forward f = forwards.get(ch);
                if (f != null && f.dest != null) {
                    try {
                        write(f.dest, data, offset, length);
                        f.toDestination += length;
                    } catch (IOException e) {
                        closeForward(f, "destination write failed: " + e.getMessage());
                        return;
                    }
                }
                engineLock.lock();
                try {
                    session.consumed(ch, length);
                } finally {
                    engineLock.unlock();
                }
                flush();
            }
            case SessionEvent.Eof(int ch) -> {
                Forward f = forwards.get(ch);
                if (f != null) {
                    f.clientEof = true;
                    if (f.dest != null) {
                        try {
                            f.dest.shutdownOutput();
                        } catch (IOException ignored) {
                            // closed below when the destination ends
                        }
                    }
                    if (f.destEof) {
                        closeForward(f, "both sides finished");
                    }
                }
            }
            case SessionEvent.Closed(int ch) -> {
                Forward f = forwards.get(ch);
                if (f != null) {
                    if (f.closeReason == null) {
                        f.closeReason = "client closed the channel";
                    }
                    closeForward(f, f.closeReason);
                }
            }
            case SessionEvent.WindowOpened(int ch) -> {
                engineLock.lock();
                try {
                    windowOpened.signalAll();
                } finally {
                    engineLock.unlock();
                }
            }
        }
    }

    /** Connects to the destination, confirms the channel and copies the destination's data back. */
    private void pump(Forward f, String host, int port) {
        TcpFlow dest;
        try {
            InetSocketAddress at = new InetSocketAddress(host, port);
            if (at.isUnresolved()) {
                throw new IOException("cannot resolve " + host);
            }
            dest = settings.net().connectTcp(at);
        } catch (IOException e) {
            engineLock.lock();
            try {
                session.fail(f.channel, ServerSession.CONNECT_FAILED, "connect failed: " + e.getMessage());
            } finally {
                engineLock.unlock();
            }
            forwards.remove(f.channel);
            auditChannel("direct-tcpip", f.destination, 0, 0, f.opened, "connect failed: " + e.getMessage());
            flushQuietly();
            return;
        }
        // A tunnel has no units; a destination that stops reading is cut at write.timeout.
        dest.deadlines(new FlowDeadlines(Duration.ZERO, Duration.ZERO, settings.writeTimeout()));
        f.dest = dest;
        engineLock.lock();
        try {
            session.confirm(f.channel);
        } finally {
            engineLock.unlock();
        }
        flushQuietly();
        PooledBuffer buf = null;
        try {
            buf = dest.acquireBuffer();
            byte[] chunk = new byte[buf.capacity()];
            while (true) {
                buf.clear();
                int n = dest.read(buf);
                if (n < 0) {
                    break;
                }
                lastActivity = settings.clock().nanoTime();
                int len = buf.length();
                MemorySegment.copy(buf.data(), ValueLayout.JAVA_BYTE, 0, chunk, 0, len);
                int off = 0;
                while (off < len) {
                    int taken;
                    engineLock.lock();
                    try {
                        taken = session.send(f.channel, chunk, off, len - off);
                        while (taken == 0 && !transport.closed()) {
                            // RFC 4254 §5.2: wait for the client to open its window.
                            windowOpened.await();
                            taken = session.send(f.channel, chunk, off, len - off);
                        }
                    } finally {
                        engineLock.unlock();
                    }
                    if (taken < 0) {
                        return;
                    }
                    off += taken;
                    f.fromDestination += taken;
                    flush();
                }
            }
            f.destEof = true;
            engineLock.lock();
            try {
                session.eof(f.channel);
            } finally {
                engineLock.unlock();
            }
            flush();
            if (f.clientEof) {
                closeForward(f, "both sides finished");
            } else {
                f.closeReason = "destination closed";
            }
        } catch (IOException e) {
            // A flow closed under its reader (the client closed the channel) ends here too.
            closeForward(f, f.closeReason != null ? f.closeReason : "destination: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            flow.close();
        }
    }

    private void closeForward(Forward f, String reason) {
        TcpFlow d = f.dest;
        if (d != null) {
            d.close();
        }
        engineLock.lock();
        boolean first;
        try {
            session.close(f.channel);
            windowOpened.signalAll();
            first = !f.audited;
            f.audited = true;
        } finally {
            engineLock.unlock();
        }
        forwards.remove(f.channel);
        flushQuietly();
        if (first) {
            auditChannel("direct-tcpip", f.destination, f.toDestination, f.fromDestination, f.opened, reason);
        }
    }

    private void auditChannel(String type, String destination, long to, long from, long opened, String reason) {
        long now = settings.clock().nanoTime();
        AUDIT.log(Level.INFO, new AuditLine().put("event", "channel").put("type", type).put("user", session.user())
                .put("key", session.fingerprint()).put("certificate", session.certificate()).put("source", source)
                .put("destination", destination)
                .put("bytes_to_destination", to).put("bytes_from_destination", from)
                .put("duration_ms", opened == 0 ? 0 : (now - opened) / 1_000_000).put("closed", reason).toString());
    }

    private void audit(String reason) {
        long now = settings.clock().nanoTime();
        String negotiated;
        engineLock.lock();
        try {
            negotiated = String.join(";", transport.negotiated());
        } finally {
            engineLock.unlock();
        }
        AUDIT.log(Level.INFO, new AuditLine().put("event", "connection").put("source", source)
                .put("client", transport.clientVersion()).put("user", session.user()).put("key", session.fingerprint())
                .put("certificate", session.certificate()).put("kex", negotiated).put("auth_failures", authFailures).put("auth_failure", authFailure)
                .put("channels", channelsOpened).put("bytes_in", transport.bytesIn()).put("bytes_out", transport.bytesOut())
                .put("duration_ms", (now - started) / 1_000_000).put("closed", reason).toString());
    }

    /** Server stop: disconnect the client, which ends {@link #run} and every channel. */
    void shutdown() {
        shuttingDown = true;
        disconnect(DisconnectReason.BY_APPLICATION, stopReason());
        flow.close();
    }

    private static final String BY_APPLICATION = DisconnectReason.BY_APPLICATION + ": ";

    private String stopReason() {
        return loginExpired ? "login timeout" : idleExpired ? "idle timeout" : "server shutting down";
    }
}
