package atoll.socket;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.Addresses;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.TransportAddress;
import atoll.libos.net.UdpEndpoint;
import atoll.linux.Epoll;
import atoll.linux.Errno;
import atoll.linux.LinuxException;
import atoll.linux.MessageBatch;
import atoll.linux.SocketAddresses;
import atoll.linux.Syscalls;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A UDP endpoint on raw Linux sockets driven by an epoll {@link EventLoop}, receiving with
 * {@code recvmmsg(2)} and sending with {@code sendmmsg(2)} through the FFM API
 * ({@link MessageBatch}): the batched path of the socket target ({@code socket.batch}, on by
 * default where {@link atoll.linux.NativeAccess} says the system calls are usable; otherwise
 * {@link SocketUdpEndpoint}, the java.nio path, serves).
 *
 * <p>Receive path: each bound socket keeps up to {@code socket.batch} buffers of its loop's pool
 * posted, one per message of its receive batch, so that a datagram lands straight in a pooled
 * buffer (no copy) and the pool is touched only to top the batch up. On read readiness the loop
 * calls {@code recvmmsg} for as many datagrams as are posted, then runs the handler for each, in
 * arrival order, at most {@link #RX_PER_EVENT} datagrams per readiness event so one busy socket
 * cannot starve the others. The sender is read from the kernel's {@code sockaddr} into the
 * endpoint's reused {@link DatagramAddresses} (octets and port, no {@link InetSocketAddress}), so
 * nothing is allocated per datagram, whatever the number of clients. A datagram longer than a
 * buffer's tailroom is truncated, as on the java.nio path.
 *
 * <p>Transmit path: datagrams sent or replied on the loop while it runs a receive batch's handlers
 * are gathered and leave in one {@code sendmmsg} when the batch is done; on the loop at another
 * time they leave at once; from another thread they join the socket's queue and the loop, woken
 * by write interest, sends them. The queue holds {@value #TX_QUEUE} datagrams (past that, sends
 * are dropped and counted); when the socket's send buffer is full the rest waits for write
 * readiness. Order among datagrams sent through one socket is kept.
 *
 * <p>Wildcard: as on the java.nio path, an endpoint asked for {@code 0.0.0.0} or {@code ::} binds
 * one socket per local address of that family on one port, and each socket's address is the
 * datagram's destination. (IP_PKTINFO would let one socket serve them all; not used yet.)
 *
 * <p>Handler exceptions are caught and logged; the handler owns the payload from the moment it is
 * called. Closing from a thread other than the loop's hands the sockets to the loop to close
 * (waiting for it), so a descriptor is never closed while the loop is using it.
 */
final class BatchUdpEndpoint implements UdpEndpoint {
    private static final System.Logger LOG = System.getLogger("atoll.socket");

    /** Datagrams taken per readiness event before other sockets and timers get a turn. */
    static final int RX_PER_EVENT = 256;
    /** Datagrams waiting to be sent on one socket; past this, sends are dropped (as java.nio's queue). */
    static final int TX_QUEUE = SocketUdpEndpoint.TX_QUEUE;
    /** The flag recvmmsg sets on a message cut to fit its buffer (include/linux/socket.h). */
    private static final int MSG_TRUNC = 0x20;
    /** Longest wait in a foreign-thread {@link #close} for the loop to close the sockets. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final SocketNetworkStack stack;
    private final EventLoop loop;
    private final EpollPoller poller;
    private final BufferPool pool;
    private final DatagramHandler handler;
    private final InetSocketAddress localAddress;
    private final Binding[] bindings;
    private final InetSocketAddress[] boundArray;
    private final int batch;
    private final Metrics.Counter rx;
    private final Metrics.Counter rxCalls;
    private final Metrics.Counter tx;
    private final Metrics.Counter txCalls;
    private final Metrics.Counter rxPoolExhausted;
    private final Metrics.Counter txDropped;
    /** Handed to the handler for every datagram; touched on the loop thread only. */
    private final DatagramAddresses rxAddresses = new DatagramAddresses();
    /** An IPv6 source's octets on their way from the kernel's sockaddr; loop thread only. */
    private final byte[] scratch = new byte[16];
    /** Native memory of this endpoint's batches and discard byte. */
    private final Arena arena = Arena.ofShared();
    /** Where datagrams go when no pooled buffer is free: read and dropped. */
    private final MemorySegment discard;
    /** Guards every binding's send queue, {@link #closed}, and {@link #released}. */
    private final Object txLock = new Object();
    private boolean closed;
    /** Sockets closed and native memory freed (on the loop). */
    private boolean released;

    private BatchUdpEndpoint(SocketNetworkStack stack, EventLoop loop, InetSocketAddress localAddress, int[] fds,
            InetSocketAddress[] addresses, DatagramHandler handler, int batch) {
        this.stack = stack;
        this.loop = loop;
        this.poller = loop.epoll();
        this.pool = stack.poolOf(loop);
        this.handler = handler;
        this.localAddress = localAddress;
        this.batch = batch;
        this.discard = arena.allocate(1);
        this.bindings = new Binding[fds.length];
        this.boundArray = addresses.clone();
        for (int i = 0; i < fds.length; i++) {
            bindings[i] = new Binding(fds[i], addresses[i]);
        }
        Metrics m = stack.metrics();
        this.rx = m.counter("socket.udp.rx");
        this.tx = m.counter("socket.udp.tx");
        this.rxPoolExhausted = m.counter("socket.udp.rx.pool-exhausted");
        this.txDropped = m.counter("socket.udp.tx.dropped");
        this.rxCalls = m.counter("socket.udp.rx.calls");
        this.txCalls = m.counter("socket.udp.tx.calls");
    }

    /**
     * @param loop an epoll event loop; it drives this endpoint's sockets and runs {@code handler}
     * @param reusePort set {@code SO_REUSEPORT} before binding, so other loops' endpoints can share the port
     * @param batch datagrams per {@code recvmmsg}
     */
    static BatchUdpEndpoint open(SocketNetworkStack stack, EventLoop loop, InetSocketAddress local,
            DatagramHandler handler, boolean reusePort, int batch) throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(handler, "handler");
        InetAddress asked = local.getAddress();
        if (asked == null) {
            throw new IOException("unresolved address " + local.getHostString());
        }
        List<InetAddress> addresses = asked.isAnyLocalAddress()
                ? SocketUdpEndpoint.addressesLike(stack, asked)
                : List.of(asked);
        List<BoundSocket> sockets = OnePortBinding.bindEach(addresses, local.getPort(), binder(reusePort));
        int[] fds = new int[sockets.size()];
        InetSocketAddress[] bound = new InetSocketAddress[fds.length];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = sockets.get(i).fd();
            bound[i] = sockets.get(i).local();
        }
        InetSocketAddress reported = asked.isAnyLocalAddress() ? new InetSocketAddress(asked, bound[0].getPort()) : bound[0];
        BatchUdpEndpoint ep = new BatchUdpEndpoint(stack, loop, reported, fds, bound, handler, batch);
        try {
            for (Binding b : ep.bindings) {
                b.slot = ep.poller.add(b.fd, Epoll.EPOLLIN, b);
                b.registered = true;
            }
            return ep;
        } catch (IOException | RuntimeException e) {
            ep.release();
            throw e;
        }
    }

    /** A bound socket and the address the kernel gave it. */
    private record BoundSocket(int fd, InetSocketAddress local) {}

    /** Native sockets for {@link OnePortBinding}. */
    private static OnePortBinding.Binder<BoundSocket> binder(boolean reusePort) {
        return new OnePortBinding.Binder<>() {
            @Override
            public BoundSocket bind(InetSocketAddress local) throws IOException {
                int fd = BatchUdpEndpoint.bind(local, reusePort);
                try {
                    return new BoundSocket(fd, localOf(fd));
                } catch (IOException | RuntimeException e) {
                    BatchUdpEndpoint.closeQuietly(fd);
                    throw e;
                }
            }

            @Override
            public int port(BoundSocket socket) {
                return socket.local().getPort();
            }

            @Override
            public void closeQuietly(BoundSocket socket) {
                BatchUdpEndpoint.closeQuietly(socket.fd());
            }
        };
    }

    private static int bind(InetSocketAddress local, boolean reusePort) throws IOException {
        boolean v6 = local.getAddress() instanceof Inet6Address;
        int fd;
        try {
            fd = Syscalls.socket(v6 ? Syscalls.AF_INET6 : Syscalls.AF_INET,
                    Syscalls.SOCK_DGRAM | Syscalls.SOCK_NONBLOCK | Syscalls.SOCK_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (Arena a = Arena.ofConfined()) {
            if (reusePort) {
                Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEPORT, 1);
            }
            MemorySegment address = a.allocate(SocketAddresses.SIZE);
            int len = SocketAddresses.write(address, local);
            Syscalls.bind(fd, address, len);
            return fd;
        } catch (LinuxException e) {
            closeQuietly(fd);
            if (e.errno() == Errno.EADDRINUSE || e.errno() == Errno.EACCES || e.errno() == EADDRNOTAVAIL) {
                BindException named = new BindException(Syscalls.strerror(e.errno()) + ": " + Addresses.format(local));
                named.initCause(e);
                throw named;
            }
            throw new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** Cannot assign requested address: the address is not this host's (include/uapi/asm-generic/errno.h). */
    private static final int EADDRNOTAVAIL = 99;

    private static InetSocketAddress localOf(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address = a.allocate(SocketAddresses.SIZE);
            Syscalls.getsockname(fd, address);
            return SocketAddresses.read(address);
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Syscalls.close(fd);
        } catch (LinuxException e) {
            LOG.log(Level.DEBUG, "closing a UDP socket failed: " + e.getMessage());
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The address of every socket, in bind order (one unless a wildcard was asked). */
    List<InetSocketAddress> boundAddresses() {
        return List.of(boundArray);
    }

    @Override
    public void reply(PooledBuffer payload, DatagramAddresses received) {
        Objects.requireNonNull(payload, "payload");
        if (received == null) {
            payload.release();
            throw new NullPointerException("received");
        }
        TransportAddress from = received.destination();
        for (Binding b : bindings) {
            if (b.local.equals(from)) {
                b.send(payload, received.source(), null);
                return;
            }
        }
        drop(payload);
        throw new IllegalArgumentException("reply from " + from + ": not an address of the endpoint on "
                + Addresses.format(localAddress));
    }

    @Override
    public void send(PooledBuffer payload, TransportAddress destination) {
        Objects.requireNonNull(payload, "payload");
        if (destination == null || !destination.isSet()) {
            payload.release();
            throw new NullPointerException("destination");
        }
        Binding b = bindings.length == 1
                ? bindings[0]
                : bindings[SocketUdpEndpoint.senderIndex(boundArray, destination.toInetSocketAddress())];
        b.send(payload, destination, null);
    }

    @Override
    public void send(PooledBuffer payload, InetSocketAddress destination) {
        Objects.requireNonNull(payload, "payload");
        if (destination == null) {
            payload.release();
            throw new NullPointerException("destination");
        }
        if (destination.getAddress() == null) {
            drop(payload);
            throw new IllegalArgumentException("unresolved address " + destination.getHostString());
        }
        bindings[SocketUdpEndpoint.senderIndex(boundArray, destination)].send(payload, null, destination);
    }

    private void drop(PooledBuffer payload) {
        txDropped.increment();
        payload.release();
    }

    @Override
    public void close() {
        synchronized (txLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Binding b : bindings) {
                b.dropQueued();
            }
        }
        stack.endpointClosed(this);
        if (loop.inLoop() || !loop.isRunning()) {
            if (!loop.inLoop() || !anyReceiving()) {
                release();
            } // else the receive batch under way releases when it returns
            return;
        }
        // The loop may be inside recvmmsg on one of these descriptors: let it close them.
        CountDownLatch done = new CountDownLatch(1);
        loop.schedule(Duration.ZERO, () -> {
            release();
            done.countDown();
        });
        boolean interrupted = false;
        try {
            if (!done.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS) && !loop.isRunning()) {
                release(); // the loop stopped before it ran the task
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean anyReceiving() {
        for (Binding b : bindings) {
            if (b.receiving) {
                return true;
            }
        }
        return false;
    }

    /** Deregisters and closes the sockets, gives back posted buffers, frees native memory. Once. */
    private void release() {
        synchronized (txLock) {
            if (released) {
                return;
            }
            released = true;
            for (Binding b : bindings) {
                b.dropQueued();
                b.releaseNative();
            }
        }
        arena.close();
    }

    /** One bound socket of the endpoint: its address, receive batch with posted buffers, and send queue. */
    private final class Binding implements EpollPoller.FdHandler {
        final int fd;
        final InetSocketAddress address;
        /** {@link #address} as the destination handed to the handler. */
        final TransportAddress local;
        final boolean v6;
        final MessageBatch rxBatch;
        /** Buffers posted to the receive batch, from index 0; loop thread only. */
        final PooledBuffer[] posted;
        int postedCount;
        /** The datagrams of the current receive batch, taken out of {@link #posted}. */
        final PooledBuffer[] received;
        /** True while the loop runs this socket's receive batch (sends are gathered). */
        boolean receiving;
        // Send queue under txLock: messages [txSent, txCount) of txBatch wait; their payloads in txPayloads.
        final MessageBatch txBatch;
        final PooledBuffer[] txPayloads = new PooledBuffer[TX_QUEUE];
        int txSent;
        int txCount;
        boolean writeInterest;
        int slot;
        boolean registered;
        boolean nativeReleased;

        Binding(int fd, InetSocketAddress address) {
            this.fd = fd;
            this.address = address;
            this.local = TransportAddress.of(address);
            this.v6 = address.getAddress() instanceof Inet6Address;
            this.rxBatch = new MessageBatch(batch);
            this.posted = new PooledBuffer[batch];
            this.received = new PooledBuffer[batch];
            this.txBatch = new MessageBatch(TX_QUEUE);
        }

        @Override
        public void onReady(int events) {
            if ((events & Epoll.EPOLLOUT) != 0) {
                synchronized (txLock) {
                    if (!released) {
                        flush();
                    }
                }
            }
            if ((events & (Epoll.EPOLLIN | Epoll.EPOLLERR)) != 0) {
                receiving = true;
                try {
                    onReadable();
                } finally {
                    receiving = false;
                    synchronized (txLock) {
                        if (closed) {
                            // closed by a handler on this loop: the deferred release
                            if (!anyReceiving()) {
                                releaseLater();
                            }
                        } else {
                            flush();
                        }
                    }
                }
            }
        }

        private void releaseLater() {
            // Under txLock already; release() takes it again (reentrant) and frees native memory.
            release();
        }

        private void onReadable() {
            int taken = 0;
            while (taken < RX_PER_EVENT && !closed) {
                topUp();
                if (postedCount == 0) {
                    // Every buffer is out. Leaving datagrams queued would keep epoll reporting the
                    // socket and spin the loop: read them into one scratch byte and drop them, as
                    // the kernel would on a full queue.
                    int n = discardBatch();
                    if (n <= 0) {
                        return;
                    }
                    rxPoolExhausted.add(n);
                    taken += n;
                    continue;
                }
                int n;
                try {
                    n = Syscalls.recvmmsg(fd, rxBatch, postedCount);
                } catch (LinuxException e) {
                    LOG.log(Level.WARNING, "UDP receive on " + Addresses.format(address) + " failed: " + e.getMessage());
                    return;
                }
                if (n == Syscalls.WOULD_BLOCK || n == 0) {
                    return;
                }
                rxCalls.increment();
                rx.add(n);
                // Take the received buffers out first: a handler may close the endpoint, which
                // gives back whatever is still posted.
                System.arraycopy(posted, 0, received, 0, n);
                System.arraycopy(posted, n, posted, 0, postedCount - n);
                java.util.Arrays.fill(posted, postedCount - n, postedCount, null);
                postedCount -= n;
                for (int i = 0; i < n; i++) {
                    PooledBuffer buf = received[i];
                    received[i] = null;
                    if (closed) {
                        buf.release();
                        continue;
                    }
                    deliver(buf, i);
                }
                taken += n;
                if (n < batch) {
                    return; // the socket's queue is empty (or was, a moment ago)
                }
            }
        }

        private void deliver(PooledBuffer buf, int i) {
            // MSG_TRUNC: the kernel cut the datagram to the buffer, as java.nio's receive does.
            int length = rxBatch.length(i);
            buf.window(buf.start(), buf.end() + length);
            // RFC 1122 §4.1.3.5: "When a UDP datagram is received, its specific-destination
            // address MUST be passed up to the application layer."
            if (!rxBatch.source(i, rxAddresses.source(), scratch)) {
                buf.release(); // no IP source: cannot happen on an AF_INET(6) datagram socket
                return;
            }
            rxAddresses.destination().set(local);
            try {
                handler.onDatagram(BatchUdpEndpoint.this, buf, rxAddresses);
            } catch (RuntimeException e) {
                // The handler owns buf even now (see SocketUdpEndpoint): never released here.
                LOG.log(Level.WARNING, "datagram handler on " + Addresses.format(address) + " threw", e);
            }
        }

        /** Posts pooled buffers until the batch is full or the pool is empty; points the batch at them. */
        private void topUp() {
            while (postedCount < batch) {
                PooledBuffer b = pool.tryAcquire();
                if (b == null) {
                    break;
                }
                posted[postedCount++] = b;
            }
            for (int i = 0; i < postedCount; i++) {
                PooledBuffer b = posted[i];
                rxBatch.data(i, b.memory(), b.end(), b.tailroom());
            }
        }

        /** Reads up to a batch of datagrams into one scratch byte; returns how many (0 or less: none). */
        private int discardBatch() {
            for (int i = 0; i < batch; i++) {
                rxBatch.data(i, discard, 0, 1);
            }
            try {
                int n = Syscalls.recvmmsg(fd, rxBatch, batch);
                return n == Syscalls.WOULD_BLOCK ? 0 : n;
            } catch (LinuxException e) {
                return 0;
            }
        }

        /**
         * Queues one datagram to {@code to} (a reused transport address, copied into the native
         * header now) or {@code inet}; sends at once unless the loop is in a receive batch, which
         * sends what it gathered when it ends.
         */
        void send(PooledBuffer payload, TransportAddress to, InetSocketAddress inet) {
            boolean onLoop = loop.inLoop();
            synchronized (txLock) {
                if (closed) {
                    drop(payload);
                    return;
                }
                boolean toV6 = to != null ? to.isIpv6() : inet.getAddress() instanceof Inet6Address;
                if (toV6 != v6) {
                    // An IPv4 socket cannot reach an IPv6 address nor the other way round: the
                    // kernel would refuse it (EAFNOSUPPORT / EINVAL) as java.nio's send does.
                    LOG.log(Level.DEBUG, "UDP send from " + Addresses.format(address) + " to another address family dropped");
                    drop(payload);
                    return;
                }
                if (txCount == TX_QUEUE) {
                    if (txSent == 0) {
                        drop(payload);
                        return;
                    }
                    compact();
                }
                int i = txCount++;
                txPayloads[i] = payload;
                txBatch.data(i, payload.memory(), payload.start(), payload.length());
                if (to != null) {
                    txBatch.destination(i, to);
                } else {
                    txBatch.destination(i, inet);
                }
                if (onLoop) {
                    if (!receiving) {
                        flush();
                    }
                } else if (!writeInterest) {
                    armWrite(true); // the loop wakes on write readiness and sends the queue
                }
            }
        }

        /** Moves the unsent tail of the queue to its front (under txLock). */
        private void compact() {
            int left = txCount - txSent;
            for (int i = 0; i < left; i++) {
                PooledBuffer p = txPayloads[txSent + i];
                txPayloads[i] = p;
                txBatch.data(i, p.memory(), p.start(), p.length());
                txBatch.copyDestination(txSent + i, i);
            }
            java.util.Arrays.fill(txPayloads, left, txCount, null);
            txSent = 0;
            txCount = left;
        }

        /** Sends the queue with as few sendmmsg calls as the kernel allows (under txLock). */
        void flush() {
            while (txSent < txCount) {
                int n;
                try {
                    n = Syscalls.sendmmsg(fd, txBatch, txSent, txCount - txSent);
                } catch (LinuxException e) {
                    // The first message failed (no route, a refused destination): drop it alone.
                    LOG.log(Level.DEBUG, "UDP send from " + Addresses.format(address) + " failed: " + e.getMessage());
                    PooledBuffer p = txPayloads[txSent];
                    txPayloads[txSent++] = null;
                    drop(p);
                    continue;
                }
                if (n == Syscalls.WOULD_BLOCK || n == 0) {
                    if (!writeInterest) {
                        armWrite(true);
                    }
                    return;
                }
                txCalls.increment();
                tx.add(n);
                for (int i = 0; i < n; i++) {
                    PooledBuffer p = txPayloads[txSent];
                    txPayloads[txSent++] = null;
                    p.release();
                }
            }
            txSent = 0;
            txCount = 0;
            if (writeInterest) {
                armWrite(false);
            }
        }

        private void armWrite(boolean on) {
            if (!registered) {
                return;
            }
            try {
                poller.modify(fd, slot, on ? Epoll.EPOLLIN | Epoll.EPOLLOUT : Epoll.EPOLLIN);
                writeInterest = on;
            } catch (LinuxException e) {
                LOG.log(Level.WARNING, "UDP socket " + Addresses.format(address) + ": " + e.getMessage());
            }
        }

        /** Under txLock. */
        void dropQueued() {
            while (txSent < txCount) {
                PooledBuffer p = txPayloads[txSent];
                txPayloads[txSent++] = null;
                drop(p);
            }
            txSent = 0;
            txCount = 0;
        }

        /** Deregisters and closes the socket, gives back posted buffers (on the loop, or with it stopped). */
        void releaseNative() {
            if (nativeReleased) {
                return;
            }
            nativeReleased = true;
            if (registered) {
                poller.remove(fd, slot);
                registered = false;
            }
            closeQuietly(fd);
            for (int i = 0; i < postedCount; i++) {
                posted[i].release();
                posted[i] = null;
            }
            postedCount = 0;
            rxBatch.close();
            txBatch.close();
        }
    }
}
