package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Health;
import atoll.libos.net.UdpEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5's review finding: an {@link Error} from a timer task or channel handler killed the only
 * loop thread, and UDP went silent while the process still said it was ready. Now the loop logs
 * it, reports failed health, and keeps serving.
 */
@Timeout(60)
class LoopFailureTest {

    @Test
    void anErrorInATimerTaskFailsHealthButTheLoopGoesOn() throws Exception {
        try (Booted b = new Booted()) {
            assertEquals(Health.SERVING, b.platform.health());
            b.platform.clock().schedule(Duration.ZERO, () -> {
                throw new StackOverflowError("thrown by the test");
            });
            CountDownLatch later = new CountDownLatch(1);
            b.platform.clock().schedule(Duration.ofMillis(10), later::countDown);
            Booted.await(later);
            Health h = b.platform.health();
            assertTrue(assertInstanceOf(Health.Failed.class, h).reason().contains("StackOverflowError"), h.toString());
            assertEquals(1, b.metrics.value("socket.loop.errors"));
            assertTrue(b.platform.loopThread().isAlive());
            assertUdpEchoes(b);
        }
    }

    @Test
    void anErrorInADatagramHandlerFailsHealthButUdpGoesOn() throws Exception {
        try (Booted b = new Booted()) {
            boolean[] thrown = {false};
            UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (endpoint, payload, source) -> {
                if (!thrown[0]) {
                    thrown[0] = true;
                    payload.release();
                    throw new AssertionError("thrown by the test");
                }
                endpoint.reply(payload, source);
            });
            try (DatagramChannel c = DatagramChannel.open()) {
                c.connect(ep.localAddress());
                c.write(ByteBuffer.wrap(new byte[] {1}));
                b.loopBarrier();
                assertInstanceOf(Health.Failed.class, b.platform.health());
                c.write(ByteBuffer.wrap(new byte[] {2}));
                ByteBuffer in = ByteBuffer.allocate(4);
                c.read(in);
                assertArrayEquals(new byte[] {2}, java.util.Arrays.copyOf(in.array(), in.position()));
            }
        }
    }

    private static void assertUdpEchoes(Booted b) throws Exception {
        UdpEndpoint ep = b.net().bindUdp(new InetSocketAddress("127.0.0.1", 0), (e, p, s) -> e.reply(p, s));
        try (DatagramChannel c = DatagramChannel.open()) {
            c.connect(ep.localAddress());
            c.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer in = ByteBuffer.allocate(4);
            c.read(in);
            assertArrayEquals(new byte[] {42}, java.util.Arrays.copyOf(in.array(), in.position()));
        }
    }
}
