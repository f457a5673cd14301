package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.TcpListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The socket target's own TCP behaviour (its counters). What every target must do is in the
 * testkit's {@code TcpContractTest}, run here by {@link SocketTcpContractTest}.
 */
@Timeout(120)
class TcpTest {

    /** Echoes every byte until end of stream, through one pooled buffer. */
    static FlowHandler echo(BufferPool pool) {
        return flow -> {
            try (PooledBuffer buf = pool.acquire()) {
                while (true) {
                    buf.clear();
                    int n = flow.read(buf);
                    if (n < 0) {
                        return;
                    }
                    flow.write(buf);
                }
            }
        };
    }

    private static byte[] readFully(SocketChannel c, int length) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(length);
        while (in.hasRemaining()) {
            if (c.read(in) < 0) {
                throw new IOException("early end of stream after " + in.position() + " bytes");
            }
        }
        return in.array();
    }

    @Test
    void countsAcceptedConnections() throws Exception {
        int clients = 3;
        try (Booted b = new Booted()) {
            TcpListener l = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), echo(b.pool()));
            for (int i = 0; i < clients; i++) {
                try (SocketChannel c = SocketChannel.open(l.localAddress())) {
                    byte[] m = {(byte) i, 2, 3};
                    c.write(ByteBuffer.wrap(m));
                    assertArrayEquals(m, readFully(c, m.length));
                }
            }
            Booted.eventually("all handlers returned", () -> l.activeFlows() == 0);
            assertEquals(clients, b.metrics.value("socket.tcp.accepted"));
        }
    }
}
