package atoll.dns.xfr;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.UdpEndpoint;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The server's own UDP requests (NOTIFY out, SOA queries to a primary): one endpoint on an
 * ephemeral port per address family, responses matched to the waiting request by ID and source.
 * {@link #exchange} blocks (call it from a virtual thread); its timeout runs on the injected
 * {@link Clock}.
 */
public final class UdpClient implements DatagramHandler, AutoCloseable {
    private static final byte[] TIMEOUT = new byte[0];

    private record Waiter(InetSocketAddress from, BlockingQueue<byte[]> replies) {}

    private final NetworkStack net;
    private final Clock clock;
    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private final Map<Integer, Waiter> waiting = new ConcurrentHashMap<>();

    /** Binds one endpoint, port 0, on the first of {@code local} of each address family. */
    public UdpClient(NetworkStack net, Clock clock, List<InetAddress> local) throws IOException {
        this.net = net;
        this.clock = clock;
        boolean v4 = false;
        boolean v6 = false;
        for (InetAddress a : local) {
            boolean four = a instanceof Inet4Address;
            if (four ? v4 : v6) {
                continue;
            }
            endpoints.add(net.bindUdp(new InetSocketAddress(a, 0), this));
            if (four) {
                v4 = true;
            } else {
                v6 = true;
            }
        }
    }

    @Override
    public void onDatagram(UdpEndpoint endpoint, PooledBuffer payload, DatagramAddresses addresses) {
        try {
            if (payload.length() < 2) {
                return;
            }
            Waiter w = waiting.get(payload.getU16(0));
            if (w != null && w.from().equals(addresses.source().toInetSocketAddress())) {
                w.replies().offer(payload.toByteArray());
            }
        } finally {
            payload.release();
        }
    }

    /**
     * Sends {@code message} to {@code to} and waits at most {@code timeout} for a datagram from
     * there with the same ID; null if none came.
     */
    public byte[] exchange(byte[] message, InetSocketAddress to, Duration timeout) throws InterruptedException {
        int id = (message[0] & 0xff) << 8 | (message[1] & 0xff);
        UdpEndpoint endpoint = endpointFor(to.getAddress());
        if (endpoint == null) {
            return null;
        }
        Waiter w = new Waiter(to, new LinkedBlockingQueue<>());
        if (waiting.putIfAbsent(id, w) != null) {
            return null; // another request uses this ID right now: treat as lost, the caller retries
        }
        Timer timer = clock.schedule(timeout, () -> w.replies().offer(TIMEOUT));
        try {
            PooledBuffer buffer = net.bufferPool().tryAcquire();
            if (buffer == null) {
                return null;
            }
            buffer.put(message, 0, message.length);
            endpoint.send(buffer, to);
            byte[] reply = w.replies().take();
            return reply == TIMEOUT ? null : reply;
        } finally {
            timer.cancel();
            waiting.remove(id, w);
        }
    }

    private UdpEndpoint endpointFor(InetAddress to) {
        for (UdpEndpoint e : endpoints) {
            if ((e.localAddress().getAddress() instanceof Inet4Address) == (to instanceof Inet4Address)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public void close() {
        endpoints.forEach(UdpEndpoint::close);
    }
}
