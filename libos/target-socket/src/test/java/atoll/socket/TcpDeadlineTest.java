package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.TcpListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deadlines of {@link atoll.libos.net.TcpFlow} that need the socket target's insides (its flow
 * clock): bytes that arrived are delivered and answerable even when the deadline has passed by the
 * time they are read. What every target must do with deadlines is in the testkit's
 * {@code TcpContractTest}.
 */
@Timeout(120)
class TcpDeadlineTest {

    /**
     * Issue 5's race: a timer closed the channel after {@code read} had returned a query but before
     * the timer was cancelled, so the answer was lost. Here the flow's clock is moved past the idle
     * deadline after the query has arrived and before the handler reads it: the query must still be
     * read and its answer written. (The flow's clock stands still unless the test moves it.)
     */
    @Test
    void bytesThatArrivedAreAnsweredEvenWhenTheDeadlineHasPassed() throws Exception {
        try (Booted b = new Booted()) {
            AtomicLong now = new AtomicLong(1_000_000_000L);
            ((SocketNetworkStack) b.net()).flowClock(now::get);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            TcpListener l = b.net().listenTcp(new InetSocketAddress("127.0.0.1", 0), flow -> {
                flow.deadlines(new FlowDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
                try (PooledBuffer buf = flow.acquireBuffer()) {
                    flow.awaitReadable(); // the query is in the server's socket
                    now.addAndGet(Duration.ofSeconds(10).toNanos()); // the idle deadline is long past
                    while (buf.length() < 3) {
                        flow.read(buf);
                    }
                    flow.unitComplete(false);
                    flow.write(buf); // the answer: the echo
                    outcome.complete(null);
                } catch (IOException e) {
                    outcome.complete(e);
                }
            });
            try (SocketChannel c = SocketChannel.open(l.localAddress())) {
                c.write(ByteBuffer.wrap(new byte[] {7, 8, 9}));
                assertEquals(null, outcome.get(Booted.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                ByteBuffer in = ByteBuffer.allocate(3);
                while (in.hasRemaining() && c.read(in) >= 0) {
                    // read the whole echo
                }
                assertArrayEquals(new byte[] {7, 8, 9}, in.array());
            }
        }
    }
}
