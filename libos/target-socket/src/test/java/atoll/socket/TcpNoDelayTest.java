package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.libos.net.TcpListener;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stream flows send without Nagle's algorithm ({@code TcpFlow#write}): an accepted connection's
 * host socket has {@code TCP_NODELAY} set. Without it a response's short last segment waits for
 * the client's delayed ACK (https-static served 16 KiB bodies at one per 45 ms on one keep-alive
 * connection).
 */
@Timeout(60)
class TcpNoDelayTest {

    @Test
    void acceptedFlowsHaveNagleOff() throws Exception {
        try (Booted b = new Booted()) {
            CompletableFuture<Object> seen = new CompletableFuture<>();
            TcpListener l = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
                try {
                    seen.complete(((SocketTcpFlow) flow).nagleOff());
                } catch (Exception e) {
                    seen.complete(e);
                }
            });
            try (SocketChannel c = SocketChannel.open(l.localAddress())) {
                assertEquals(Boolean.TRUE, seen.get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
    }
}
