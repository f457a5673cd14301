package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.libos.entropy.Entropies;
import atoll.stack.tcp.CloseReason;
import atoll.stack.tcp.TcpConfig;
import atoll.stack.tcp.TcpConnection;
import atoll.stack.tcp.TcpHandler;
import atoll.stack.tcp.TcpOverIpv4;
import atoll.stack.tcp.TcpState;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The TCP engine over the IPv4/ARP/Ethernet engines: two hosts, frames carried as bytes. */
class TcpOverEthernetTest {

    @Test
    void connectTransferAndCloseBetweenTwoInterfaces() {
        try (Host a = IpEngineTest.a(); Host b = IpEngineTest.b()) {
            TcpOverIpv4 ta = new TcpOverIpv4(a.nic.ip(), TcpConfig.defaults(), a.pool, Entropies.seeded(1));
            TcpOverIpv4 tb = new TcpOverIpv4(b.nic.ip(), TcpConfig.defaults(), b.pool, Entropies.seeded(2));
            byte[] data = new byte[200_000];
            new Random(5).nextBytes(data);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            CloseReason[] serverClosed = {null};
            tb.tcp().listen(0, 7, c -> new TcpHandler() {
                @Override
                public void readable(TcpConnection conn) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = conn.read(MemorySegment.ofArray(buf))) > 0) {
                        got.write(buf, 0, n);
                    }
                }

                @Override
                public void peerClosed(TcpConnection conn) {
                    conn.close();
                }

                @Override
                public void closed(TcpConnection conn, CloseReason reason) {
                    serverClosed[0] = reason;
                }
            });
            int[] written = {0};
            TcpConnection client = ta.tcp().connect(a.now, IpEngineTest.A.bits(), 0, IpEngineTest.B.bits(), 7,
                    new TcpHandler() {
                        @Override
                        public void connected(TcpConnection c) {
                            writable(c);
                        }

                        @Override
                        public void writable(TcpConnection c) {
                            written[0] += c.write(data, written[0], data.length - written[0]);
                            if (written[0] == data.length) {
                                c.close();
                            }
                        }
                    });
            for (int round = 0; round < 10_000 && client.state() != TcpState.CLOSED; round++) {
                IpEngineTest.pump(a, b);
                long next = Math.min(Math.min(ta.tcp().nextDeadline(), tb.tcp().nextDeadline()),
                        Math.min(a.poll(), b.poll()));
                long step = Math.max(1, Math.min(next, a.now + Duration.ofSeconds(1).toNanos()) - a.now);
                a.now += step;
                b.now = a.now;
                ta.tcp().onTimer(a.now);
                tb.tcp().onTimer(b.now);
            }
            assertArrayEquals(data, got.toByteArray());
            assertEquals(CloseReason.NORMAL, serverClosed[0]);
            assertEquals(TcpState.CLOSED, client.state(), "TIME-WAIT ran out");
            assertEquals(0, ta.tcp().counters().internalErrors() + tb.tcp().counters().internalErrors());
        }
    }

    @Test
    void protocolUnreachableRefusesAnOpeningConnection() {
        try (Host a = IpEngineTest.a(); Host b = IpEngineTest.b()) {
            TcpOverIpv4 ta = new TcpOverIpv4(a.nic.ip(), TcpConfig.defaults(), a.pool, Entropies.seeded(1));
            CloseReason[] reason = {null};
            TcpConnection c = ta.tcp().connect(a.now, IpEngineTest.A.bits(), 0, IpEngineTest.B.bits(), 7,
                    new TcpHandler() {
                        @Override
                        public void closed(TcpConnection conn, CloseReason r) {
                            reason[0] = r;
                        }
                    });
            IpEngineTest.pump(a, b); // B speaks no TCP: ICMP protocol unreachable quoting our SYN
            assertEquals(TcpState.CLOSED, c.state());
            assertEquals(CloseReason.REFUSED, reason[0]);
        }
    }
}
