package atoll.openvpn.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.Config;
import atoll.libos.entropy.Entropies;
import atoll.libos.metrics.SimpleMetrics;
import atoll.libos.runtime.Platform;
import atoll.libos.runtime.TargetProvider;
import atoll.stack.PointToPointInterface;
import atoll.stack.ip.IpConfig;
import atoll.stack.link.Ipv4Link;
import atoll.stack.link.SendOutcome;
import atoll.stack.tcp.CloseReason;
import atoll.stack.tcp.TcpConfig;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpOverIpv4;
import atoll.stack.wire.Icmpv4Repr;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Address;
import atoll.testkit.Targets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's stack and relay in-process: a client host (libos's own stack on a
 * {@link PointToPointInterface}, 10.8.0.2) joined to the {@link TunnelGateway} (10.8.0.1) by an
 * in-memory tunnel, the gateway relaying through the socket target's {@code NetworkStack} to a
 * TCP echo server on loopback (the test's real peer). No OpenVPN framing here: TunnelIT covers
 * that with the real client.
 */
class TunnelGatewayTest {
    static final Ipv4Address CLIENT = Ipv4Address.parse("10.8.0.2");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("10.8.0.1");
    static final int LOOPBACK = Ipv4Address.parse("127.0.0.1").bits();
    static final Duration LIMIT = Duration.ofSeconds(30);

    final SimpleMetrics metrics = new SimpleMetrics();
    final SimpleMetrics clientMetrics = new SimpleMetrics();
    final ReentrantLock lock = new ReentrantLock();
    final BufferPool gatewayPool = new BufferPool(2048, 128, 1024);
    final BufferPool clientPool = new BufferPool(2048, 128, 1024);
    final ConcurrentLinkedQueue<byte[]> toClient = new ConcurrentLinkedQueue<>();
    final ArrayDeque<byte[]> toGateway = new ArrayDeque<>();
    Platform platform;
    TunnelGateway gateway;
    PointToPointInterface client;
    TcpOverIpv4 clientTcp;
    ServerSocket echo;
    int closedPort;

    @BeforeEach
    void boot() throws Exception {
        TargetProvider socket = Targets.named("socket");
        platform = socket.boot(Config.of(socket.configKeys(), Map.of()), new SimpleMetrics());
        echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::echoServer);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once closed
        }
        DestinationPolicy policy = DestinationPolicy.parse(List.of("127.0.0.1/32:" + echo.getLocalPort(),
                "127.0.0.1:" + closedPort));
        gateway = new TunnelGateway(lock, platform.clock(), Entropies.seeded(1), metrics, platform.network(), gatewayPool,
                GATEWAY, 24, 1500, policy, (address, datagram) -> {
                    if (address != CLIENT.bits()) {
                        datagram.release();
                        return false;
                    }
                    toClient.add(datagram.toByteArray());
                    datagram.release();
                    return true;
                });
        client = new PointToPointInterface(IpConfig.pointToPoint(CLIENT, 0, 1500), clientPool, new Ipv4Link() {
            @Override
            public SendOutcome send(int nextHop, PooledBuffer datagram, long now) {
                toGateway.add(datagram.toByteArray());
                datagram.release();
                return SendOutcome.SENT;
            }

            @Override
            public SendOutcome sendBroadcast(PooledBuffer datagram) {
                datagram.release();
                return SendOutcome.NO_ROUTE;
            }
        }, Entropies.seeded(2), clientMetrics);
        clientTcp = new TcpOverIpv4(client.ip(), TcpConfig.defaults().withMss(1460), clientPool, Entropies.seeded(3));
    }

    void echoServer() {
        while (true) {
            Socket s;
            try {
                s = echo.accept();
            } catch (IOException e) {
                return; // closed at the end of the test
            }
            Thread.ofVirtual().start(() -> {
                try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the client reset: nothing to echo
                }
            });
        }
    }

    @AfterEach
    void stop() throws Exception {
        echo.close();
        lock.lock();
        try {
            gateway.close();
        } finally {
            lock.unlock();
        }
        clientTcp.tcp().shutdown(System.nanoTime());
        client.close();
        eventually("relay threads give back their stream buffers", () -> platform.network().streamBufferPool().outstanding() == 0);
        platform.shutdown(Duration.ofSeconds(5));
        gatewayPool.assertNoLeaks();
        clientPool.assertNoLeaks();
        platform.network().bufferPool().assertNoLeaks();
    }

    /** Carries datagrams both ways and runs the client's timers until {@code done} (bounded). */
    void pumpUntil(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; metrics " + metrics.snapshot());
            }
            boolean moved = false;
            byte[] d;
            while ((d = toGateway.poll()) != null) {
                moved = true;
                lock.lock();
                try {
                    gateway.receive(d);
                } finally {
                    lock.unlock();
                }
            }
            while ((d = toClient.poll()) != null) {
                moved = true;
                PooledBuffer b = clientPool.acquire();
                b.put(d, 0, d.length);
                client.receivePacket(b, System.nanoTime());
            }
            long now = System.nanoTime();
            if (clientTcp.tcp().nextDeadline() - now <= 0) {
                clientTcp.tcp().onTimer(now);
            }
            if (!moved) {
                Thread.sleep(1);
            }
        }
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    long count(String name) {
        return metrics.snapshot().getOrDefault(name, 0L);
    }

    /** A client connection that writes {@code data} (as the window allows) and collects what comes back. */
    static final class Echoing implements TcpHandler {
        final byte[] data;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int written;
        boolean connected;
        CloseReason closed;

        Echoing(byte[] data) {
            this.data = data;
        }

        @Override
        public void connected(TcpConnection c) {
            connected = true;
            writable(c);
        }

        @Override
        public void writable(TcpConnection c) {
            if (written < data.length) {
                written += c.write(data, written, data.length - written);
            }
        }

        @Override
        public void readable(TcpConnection c) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = c.read(MemorySegment.ofArray(buf))) > 0) {
                received.write(buf, 0, n);
            }
        }

        @Override
        public void peerClosed(TcpConnection c) {
            c.close();
        }

        @Override
        public void closed(TcpConnection c, CloseReason reason) {
            closed = reason;
        }
    }

    @Test
    void aMegabyteGoesToTheFarServerAndBackThroughTheRelay() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(4).nextBytes(data);
        Echoing e = new Echoing(data);
        TcpConnection c = clientTcp.tcp().connect(System.nanoTime(), CLIENT.bits(), 0, LOOPBACK, echo.getLocalPort(), e);
        pumpUntil("the echo", () -> e.received.size() == data.length);
        assertArrayEquals(data, e.received.toByteArray());
        assertEquals(1, count("gateway.tcp.relayed"));
        c.close(); // FIN passed on to the server, whose FIN comes back
        // The client closed first, so it waits in TIME-WAIT; the gateway's side is gone.
        pumpUntil("the close both ways", () -> c.state() == atoll.stack.tcp.TcpState.TIME_WAIT
                && count("gateway.tcp.connections") == 0);
        assertEquals(null, e.closed);
        assertEquals(0, count("gateway.tcp.refused") + count("gateway.tcp.upstream-failed"));
    }

    @Test
    void aDestinationThePolicyDoesNotAllowIsResetAndCounted() throws Exception {
        Echoing e = new Echoing(new byte[10]);
        clientTcp.tcp().connect(System.nanoTime(), CLIENT.bits(), 0, LOOPBACK, echo.getLocalPort() ^ 1, e);
        pumpUntil("the reset", () -> e.closed != null);
        assertEquals(CloseReason.REFUSED, e.closed);
        assertTrue(!e.connected);
        assertEquals(1, count("gateway.tcp.refused"));
        assertEquals(0, count("gateway.tcp.relayed"));
    }

    @Test
    void anUpstreamThatRefusesResetsTheTunnelledConnection() throws Exception {
        Echoing e = new Echoing("hello".getBytes());
        clientTcp.tcp().connect(System.nanoTime(), CLIENT.bits(), 0, LOOPBACK, closedPort, e);
        pumpUntil("the reset", () -> e.closed != null);
        assertTrue(e.connected, "the tunnel side is accepted before the far side is tried");
        assertEquals(CloseReason.RESET, e.closed);
        assertEquals(1, count("gateway.tcp.upstream-failed"));
    }

    /**
     * Whatever a client puts in the tunnel: valid packets of each kind the client stack makes,
     * then those cut short, with flipped octets and random junk (seeded). The gateway never throws,
     * answers what it answers, and holds no buffer afterwards.
     */
    @Test
    void mangledTunnelPacketsAreDroppedWithoutThrowingOrLeaking() throws Exception {
        List<byte[]> valid = new java.util.ArrayList<>();
        clientTcp.tcp().connect(System.nanoTime(), CLIENT.bits(), 0, LOOPBACK, echo.getLocalPort(), new Echoing(new byte[0]));
        PooledBuffer udp = clientPool.acquire();
        udp.put(new byte[] {'q', 'u'}, 0, 2);
        client.udp().send(40000, LOOPBACK, 53, udp, System.nanoTime());
        PooledBuffer req = clientPool.acquire();
        req.put(new byte[] {1, 2, 3}, 0, 3);
        new Icmpv4Repr.EchoRequest(1, 1).prependTo(req);
        client.ip().send(IpProtocol.ICMP, GATEWAY.bits(), req, System.nanoTime());
        valid.addAll(toGateway);
        toGateway.clear();
        assertEquals(3, valid.size());
        Random r = new Random(20261129);
        for (int i = 0; i < 5000; i++) {
            byte[] p = valid.get(r.nextInt(valid.size())).clone();
            switch (r.nextInt(4)) {
                case 0 -> p = java.util.Arrays.copyOf(p, r.nextInt(p.length + 1));
                case 1 -> p[r.nextInt(p.length)] ^= (byte) (1 << r.nextInt(8));
                case 2 -> {
                    p = new byte[r.nextInt(1600)];
                    r.nextBytes(p);
                }
                default -> {
                    for (int k = 0; k < 4; k++) {
                        p[r.nextInt(p.length)] = (byte) r.nextInt(256);
                    }
                }
            }
            lock.lock();
            try {
                gateway.receive(p);
            } finally {
                lock.unlock();
            }
        }
        toClient.clear();
        lock.lock();
        try {
            gateway.close();
        } finally {
            lock.unlock();
        }
        eventually("relays end", () -> platform.network().streamBufferPool().outstanding() == 0);
        gatewayPool.assertNoLeaks();
    }

    @Test
    void echoToTheTunnelAddressIsAnsweredAndUdpBeyondIsRefusedByIcmp() throws Exception {
        PooledBuffer req = clientPool.acquire();
        req.put(new byte[] {1, 2, 3, 4}, 0, 4);
        new Icmpv4Repr.EchoRequest(9, 1).prependTo(req);
        client.ip().send(IpProtocol.ICMP, GATEWAY.bits(), req, System.nanoTime());
        pumpUntil("the echo reply", () -> count("icmp.tx.echo_replies") == 1 && toClient.isEmpty());
        PooledBuffer udp = clientPool.acquire();
        udp.put(new byte[] {'q'}, 0, 1);
        client.udp().send(40000, LOOPBACK, 53, udp, System.nanoTime());
        pumpUntil("the ICMP refusal", () -> clientMetrics.snapshot().getOrDefault("icmp.rx.errors", 0L) == 1);
        assertEquals(1, count("gateway.udp.refused"));
        PooledBuffer ping = clientPool.acquire();
        ping.put(new byte[] {5}, 0, 1);
        new Icmpv4Repr.EchoRequest(9, 2).prependTo(ping);
        client.ip().send(IpProtocol.ICMP, LOOPBACK, ping, System.nanoTime());
        pumpUntil("the ICMP refusal of an echo beyond the gateway", () -> count("gateway.icmp.refused") == 1
                && clientMetrics.snapshot().getOrDefault("icmp.rx.errors", 0L) == 2);
        assertNotNull(gateway);
    }
}
