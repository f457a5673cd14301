package atoll.openvpn.gateway;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.UdpEndpoint;
import atoll.stack.udp.UdpEngine;
import atoll.stack.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * UDP through the gateway, a user-space NAT for datagrams: each association (client tunnel
 * address, client port, destination address, destination port) gets a host UDP endpoint of its own
 * (a wildcard address, a port the host picks), through which the client's datagrams leave; what
 * that endpoint receives from the destination, and only from it, goes back into the tunnel with the
 * destination as its source, as if the destination had answered directly. The filtering is
 * address-and-port-dependent (RFC 4787 §5, the strictest kind): a datagram to the endpoint from
 * anyone else is dropped and counted ({@code gateway.udp.rx.foreign-source}). An association ends after {@link Limits#idle()} without a datagram either way, timed by
 * the injected clock; a client holds at most {@link Limits#perClient()} at once, and a datagram that
 * would open one more is dropped and counted ({@code gateway.udp.over-cap}).
 *
 * <p>Threading: everything runs under the gateway's lock: the tunnel side is called with it held,
 * and the host endpoints' handlers (on the host stack's event loop) take it for each datagram.
 */
final class UdpRelay {
    /**
     * @param idle an association with no datagram either way for this long is closed (RFC 4787
     *     REQ-5: "A NAT UDP mapping timer MUST NOT expire in less than two minutes, unless REQ-5a
     *     applies"; REQ-5a is an exception for destination ports in the well-known range)
     * @param perClient associations one client may hold at once
     */
    record Limits(Duration idle, int perClient) {
        /** RFC 4787 REQ-5: two minutes at the least; 64 associations per client. */
        static final Limits DEFAULTS = new Limits(Duration.ofMinutes(2), 64);

        Limits {
            if (idle.isNegative() || idle.isZero() || perClient < 1) {
                throw new IllegalArgumentException("idle must be positive and perClient at least 1: " + idle + ", " + perClient);
            }
        }
    }

    private record Key(int client, int clientPort, int destination, int destinationPort) {}

    private final TunnelGateway gateway;
    private final UdpEngine udp;
    private final BufferPool tunnelPool;
    private final Limits limits;
    private final Map<Key, Association> associations = new HashMap<>();
    private final Map<Integer, Integer> perClient = new HashMap<>();
    private final Metrics.Counter relayed;
    private final Metrics.Counter overCap;
    private final Metrics.Counter bindFailed;
    private final Metrics.Counter foreign;
    private final Metrics.Counter expired;
    private final Metrics.Counter noBuffer;
    private boolean closed;

    UdpRelay(TunnelGateway gateway, UdpEngine udp, BufferPool tunnelPool, Limits limits, Metrics metrics) {
        this.gateway = gateway;
        this.udp = udp;
        this.tunnelPool = tunnelPool;
        this.limits = limits;
        this.relayed = metrics.counter("gateway.udp.relayed");
        this.overCap = metrics.counter("gateway.udp.over-cap");
        this.bindFailed = metrics.counter("gateway.udp.upstream-failed");
        this.foreign = metrics.counter("gateway.udp.rx.foreign-source");
        this.expired = metrics.counter("gateway.udp.expired");
        this.noBuffer = metrics.counter("gateway.udp.no-buffer");
        metrics.gauge("gateway.udp.associations", associations::size);
    }

    /** A datagram from a client that the policy admits; under the lock. Takes ownership of {@code payload}. */
    void fromClient(PooledBuffer payload, int client, int clientPort, int destination, int destinationPort, long now) {
        try {
            Key key = new Key(client, clientPort, destination, destinationPort);
            Association a = associations.get(key);
            if (a == null) {
                a = open(key, now);
                if (a == null) {
                    return;
                }
            }
            NetworkStack host = gateway.host();
            PooledBuffer out = host.bufferPool().tryAcquire();
            if (out == null || out.tailroom() < payload.length()) {
                if (out != null) {
                    out.release();
                }
                noBuffer.increment();
                return;
            }
            out.append(payload.length()).copyFrom(payload.data());
            a.lastActive = now;
            relayed.increment();
            a.endpoint.send(out, a.target); // takes ownership
        } finally {
            payload.release();
        }
    }

    private Association open(Key key, long now) {
        int held = perClient.getOrDefault(key.client(), 0);
        if (held >= limits.perClient()) {
            overCap.increment();
            return null;
        }
        Association a = new Association(key, now);
        try {
            a.endpoint = gateway.host().bindUdp(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0), a::onDatagram);
        } catch (IOException | RuntimeException e) {
            bindFailed.increment();
            return null;
        }
        associations.put(key, a);
        perClient.merge(key.client(), 1, Integer::sum);
        return a;
    }

    /** Closes the associations idle since {@code now - idle}; under the lock. */
    void expire(long now) {
        long idle = limits.idle().toNanos();
        for (Iterator<Association> it = associations.values().iterator(); it.hasNext();) {
            Association a = it.next();
            if (now - a.lastActive >= idle) {
                it.remove();
                forget(a);
                expired.increment();
            }
        }
    }

    /** When the next association falls idle ({@code Long.MAX_VALUE}: none); under the lock. */
    long nextDeadline() {
        long next = Long.MAX_VALUE;
        long idle = limits.idle().toNanos();
        for (Association a : associations.values()) {
            long at = a.lastActive + idle;
            if (next == Long.MAX_VALUE || at - next < 0) {
                next = at;
            }
        }
        return next;
    }

    private void forget(Association a) {
        a.endpoint.close();
        perClient.computeIfPresent(a.key.client(), (c, n) -> n > 1 ? n - 1 : null);
    }

    /** Closes every association; under the lock. */
    void close() {
        closed = true;
        for (Association a : new ArrayList<>(associations.values())) {
            forget(a);
        }
        associations.clear();
    }

    private final class Association {
        final Key key;
        final InetSocketAddress target;
        UdpEndpoint endpoint;
        long lastActive;

        Association(Key key, long now) {
            this.key = key;
            this.target = new InetSocketAddress(new Ipv4Address(key.destination()).toInetAddress(), key.destinationPort());
            this.lastActive = now;
        }

        /** A datagram from the host side, on the host stack's event loop. */
        void onDatagram(UdpEndpoint endpoint, PooledBuffer payload, DatagramAddresses addresses) {
            ReentrantLock lock = gateway.lock();
            lock.lock();
            try {
                if (closed || associations.get(key) != this) {
                    return; // expired or closed meanwhile
                }
                // Address-and-port-dependent filtering (RFC 4787 §5): only the destination may answer.
                if (!addresses.source().isIpv4() || addresses.source().ipv4() != key.destination()
                        || addresses.source().port() != key.destinationPort()) {
                    foreign.increment();
                    return;
                }
                PooledBuffer in = tunnelPool.tryAcquire();
                if (in == null || in.tailroom() < payload.length()) {
                    if (in != null) {
                        in.release();
                    }
                    noBuffer.increment();
                    return;
                }
                in.append(payload.length()).copyFrom(payload.data());
                long now = gateway.now();
                lastActive = now;
                // The reply comes from the address and port the client sent to (UdpEngine's sourced send).
                udp.send(key.destination(), key.destinationPort(), key.client(), key.clientPort(), in, now);
                gateway.rearm();
            } catch (RuntimeException e) {
                System.getLogger("openvpn-gw").log(System.Logger.Level.WARNING, "UDP relay: " + e);
            } finally {
                payload.release();
                lock.unlock();
            }
        }
    }
}
