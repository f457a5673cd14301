package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import atoll.libos.metrics.SimpleMetrics;
import atoll.stack.ip.IpConfig;
import atoll.stack.link.Ipv4Link;
import atoll.stack.link.SendOutcome;
import atoll.stack.tcp.CloseReason;
import atoll.stack.tcp.TcpConfig;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpOverIpv4;
import atoll.stack.udp.DatagramReceiver;
import atoll.stack.wire.Icmpv4Repr;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link PointToPointInterface}s joined by an in-memory link that carries bare IPv4 datagrams
 * (a tunnel): a client host with 10.8.0.2 and everything routed into the link, and a gateway
 * 10.8.0.1 that terminates what passes through it ({@code acceptAnyDestination}, a transparent TCP
 * listener with an admission check, a transparent UDP receiver) — the shape a VPN gateway's
 * user-space NAT takes.
 */
class PointToPointInterfaceTest {
    static final Ipv4Address CLIENT = Ipv4Address.parse("10.8.0.2");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("10.8.0.1");
    static final Ipv4Address FAR = Ipv4Address.parse("198.51.100.10");

    final BufferPool pool = new BufferPool(2048, 128, 256);
    final SimpleMetrics clientMetrics = new SimpleMetrics();
    final SimpleMetrics gatewayMetrics = new SimpleMetrics();
    final ArrayDeque<PooledBuffer> toGateway = new ArrayDeque<>();
    final ArrayDeque<PooledBuffer> toClient = new ArrayDeque<>();
    final List<Integer> nextHopsToClient = new ArrayList<>();
    long now = 1_000_000_000L;

    // The client routes everything into the tunnel (prefix 0); the gateway's subnet is the tunnel's.
    final PointToPointInterface client = new PointToPointInterface(IpConfig.pointToPoint(CLIENT, 0, 1500), pool,
            queue(toGateway, null), Entropies.seeded(1), clientMetrics);
    final PointToPointInterface gateway = new PointToPointInterface(IpConfig.pointToPoint(GATEWAY, 24, 1500), pool,
            queue(toClient, nextHopsToClient), Entropies.seeded(2), gatewayMetrics);

    Ipv4Link queue(ArrayDeque<PooledBuffer> q, List<Integer> hops) {
        return new Ipv4Link() {
            @Override
            public SendOutcome send(int nextHop, PooledBuffer datagram, long now) {
                if (hops != null) {
                    hops.add(nextHop);
                }
                q.add(datagram);
                return SendOutcome.SENT;
            }

            @Override
            public SendOutcome sendBroadcast(PooledBuffer datagram) {
                q.add(datagram);
                return SendOutcome.SENT;
            }
        };
    }

    /** Carries datagrams both ways until the link is quiet (bounded). */
    void pump() {
        for (int i = 0; i < 10_000 && !(toGateway.isEmpty() && toClient.isEmpty()); i++) {
            PooledBuffer b = toGateway.poll();
            if (b != null) {
                gateway.receivePacket(b, now);
            }
            b = toClient.poll();
            if (b != null) {
                client.receivePacket(b, now);
            }
        }
        assertTrue(toGateway.isEmpty() && toClient.isEmpty(), "link never went quiet");
    }

    @AfterEach
    void noLeaks() {
        toGateway.forEach(PooledBuffer::release);
        toClient.forEach(PooledBuffer::release);
        client.close();
        gateway.close();
        pool.assertNoLeaks();
    }

    long count(SimpleMetrics m, String name) {
        return m.snapshot().getOrDefault(name, 0L);
    }

    PooledBuffer bytes(String s) {
        PooledBuffer b = pool.acquire();
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        b.put(a, 0, a.length);
        return b;
    }

    @Test
    void echoToTheGatewaysOwnAddressIsAnsweredWithNoLinkAddresses() {
        PooledBuffer req = bytes("ping data");
        new Icmpv4Repr.EchoRequest(7, 1).prependTo(req);
        assertEquals(SendOutcome.SENT, client.ip().send(IpProtocol.ICMP, GATEWAY.bits(), req, now));
        PooledBuffer onWire = toGateway.peek();
        assertEquals(4, onWire.memory().get(java.lang.foreign.ValueLayout.JAVA_BYTE, onWire.start()) >> 4,
                "the link carries the IPv4 header first, no Ethernet header");
        pump();
        assertEquals(1, count(gatewayMetrics, "icmp.tx.echo_replies"));
        assertEquals(List.of(CLIENT.bits()), nextHopsToClient, "the reply's next hop is the client itself");
        assertEquals(0, count(clientMetrics, "icmp.rx.malformed"));
    }

    @Test
    void withoutAcceptAnyDestinationDatagramsInTransitAreDropped() {
        client.udp().send(40000, FAR.bits(), 53, bytes("q"), now);
        pump();
        assertEquals(1, count(gatewayMetrics, "ip.rx.not_for_us"));
        assertEquals(SendOutcome.NO_ROUTE, gateway.ip().send(IpProtocol.UDP, FAR.bits(), CLIENT.bits(), 0, false,
                bytes("spoofed"), now), "a foreign source needs acceptAnyDestination");
        assertTrue(toClient.isEmpty());
    }

    @Test
    void aTransparentListenerTerminatesAdmittedConnectionsToAnyAddressAndResetsTheRest() {
        gateway.ip().acceptAnyDestination(true);
        TcpOverIpv4 gtcp = new TcpOverIpv4(gateway.ip(), TcpConfig.defaults().withMss(1460), pool, Entropies.seeded(3));
        TcpOverIpv4 ctcp = new TcpOverIpv4(client.ip(), TcpConfig.defaults().withMss(1460), pool, Entropies.seeded(4));
        ByteArrayOutputStream atGateway = new ByteArrayOutputStream();
        TcpConnection[] accepted = {null};
        gtcp.tcp().listenTransparent((ra, rp, la, lp) -> la == FAR.bits() && lp == 80, c -> {
            accepted[0] = c;
            return new TcpHandler() {
                @Override
                public void readable(TcpConnection conn) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = conn.read(MemorySegment.ofArray(buf))) > 0) {
                        atGateway.write(buf, 0, n);
                    }
                    if (atGateway.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                        byte[] answer = "HTTP/1.0 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                        conn.write(answer, 0, answer.length);
                        conn.close();
                    }
                }
            };
        });
        assertThrows(IllegalStateException.class, () -> gtcp.tcp().listenTransparent((a, b, c, d) -> true, c -> null));
        ByteArrayOutputStream atClient = new ByteArrayOutputStream();
        CloseReason[] clientClosed = {null, null};
        TcpConnection c = ctcp.tcp().connect(now, CLIENT.bits(), 0, FAR.bits(), 80, new TcpHandler() {
            @Override
            public void connected(TcpConnection conn) {
                byte[] req = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                conn.write(req, 0, req.length);
            }

            @Override
            public void readable(TcpConnection conn) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = conn.read(MemorySegment.ofArray(buf))) > 0) {
                    atClient.write(buf, 0, n);
                }
            }

            @Override
            public void peerClosed(TcpConnection conn) {
                conn.close();
            }

            @Override
            public void closed(TcpConnection conn, CloseReason reason) {
                clientClosed[0] = reason;
            }
        });
        pump();
        assertNotNull(accepted[0]);
        assertEquals(FAR.bits(), accepted[0].localAddress(), "the connection is terminated as the address asked for");
        assertEquals(80, accepted[0].localPort());
        assertEquals("GET / HTTP/1.0\r\n\r\n", atGateway.toString(StandardCharsets.US_ASCII));
        assertEquals("HTTP/1.0 204 No Content\r\n\r\n", atClient.toString(StandardCharsets.US_ASCII));
        assertEquals(CloseReason.NORMAL, clientClosed[0]);
        assertEquals(0, ctcp.tcp().counters().badChecksum(), "the segments' source is the far address");

        // A port the admission refuses: reset at once, as for a closed port, and counted.
        ctcp.tcp().connect(now, CLIENT.bits(), 0, FAR.bits(), 81, new TcpHandler() {
            @Override
            public void closed(TcpConnection conn, CloseReason reason) {
                clientClosed[1] = reason;
            }
        });
        pump();
        assertEquals(CloseReason.REFUSED, clientClosed[1]);
        assertEquals(1, gtcp.tcp().counters().refusedByAdmission());
        // Let TIME-WAIT pass and release everything.
        ctcp.tcp().shutdown(now);
        gtcp.tcp().shutdown(now);
        pump();
    }

    @Test
    void aTransparentUdpReceiverGetsDatagramsInTransitAndAnswersForTheirDestination() {
        gateway.ip().acceptAnyDestination(true);
        List<String> seen = new ArrayList<>();
        gateway.udp().bindTransparent(new DatagramReceiver() {
            @Override
            public void receive(PooledBuffer payload, int source, int sourcePort, int destination, int destinationPort,
                    long now) {
                seen.add(new Ipv4Address(source) + ":" + sourcePort + ">" + new Ipv4Address(destination) + ":"
                        + destinationPort + " " + new String(payload.toByteArray(), StandardCharsets.US_ASCII));
                payload.release();
                gateway.udp().send(destination, destinationPort, source, sourcePort, bytes("answer"), now);
            }
        });
        byte[][] got = {null};
        int[] from = {0, 0};
        client.udp().bind(40000, (payload, source, sourcePort, destination, destinationPort, t) -> {
            got[0] = payload.toByteArray();
            from[0] = source;
            from[1] = sourcePort;
            payload.release();
        });
        client.udp().send(40000, FAR.bits(), 53, bytes("question"), now);
        pump();
        assertEquals(List.of("10.8.0.2:40000>198.51.100.10:53 question"), seen);
        assertArrayEquals("answer".getBytes(StandardCharsets.US_ASCII), got[0]);
        assertEquals(FAR.bits(), from[0]);
        assertEquals(53, from[1]);
        // The gateway's own unbound ports go to the transparent receiver too (it decides).
        client.udp().send(40000, GATEWAY.bits(), 9, bytes("own"), now);
        pump();
        assertEquals("10.8.0.2:40000>10.8.0.1:9 own", seen.get(1));
        assertEquals(0, count(gatewayMetrics, "udp.rx.closed_port"));
    }
}
