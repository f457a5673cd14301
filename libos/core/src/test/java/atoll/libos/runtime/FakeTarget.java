package atoll.libos.runtime;

import atoll.libos.buffer.BufferPool;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A target with no network at all: enough to run the launcher's flow in-process. */
final class FakeTarget implements TargetProvider {
    static final ConfigKey<Integer> MTU = ConfigKey.of("fake.mtu", ValueTypes.integer(576, 9000), 1500, "fake MTU");

    private final String name;
    Exception bootFailure;
    Config bootedWith;
    final AtomicInteger shutdowns = new AtomicInteger();
    Duration shutdownGrace;
    /** What the booted platform reports as its health; a test sets it to a failure. */
    volatile Health health = Health.SERVING;

    FakeTarget() {
        this("fake");
    }

    FakeTarget(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(MTU);
    }

    @Override
    public Platform boot(Config config, Metrics metrics) throws Exception {
        if (bootFailure != null) {
            throw bootFailure;
        }
        bootedWith = config;
        metrics.gauge("fake.booted", () -> 1);
        BufferPool pool = new BufferPool(config.get(MTU) + 64, 64, 8);
        NetworkStack network = new NetworkStack() {
            @Override
            public UdpEndpoint bindUdp(InetSocketAddress local, DatagramHandler handler) throws IOException {
                throw new IOException("fake target has no network");
            }

            @Override
            public TcpListener listenTcp(InetSocketAddress local, FlowHandler handler) throws IOException {
                throw new IOException("fake target has no network");
            }

            @Override
            public TcpFlow connectTcp(InetSocketAddress remote) throws IOException {
                throw new IOException("fake target has no network");
            }

            @Override
            public List<InetAddress> localAddresses() {
                return List.of(InetAddress.getLoopbackAddress());
            }

            @Override
            public BufferPool bufferPool() {
                return pool;
            }
        };
        Clock clock = new Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public Timer schedule(Duration delay, Runnable task) {
                return () -> false;
            }
        };
        return new Platform() {
            @Override
            public NetworkStack network() {
                return network;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public Health health() {
                return health;
            }

            @Override
            public void shutdown(Duration grace) {
                shutdownGrace = grace;
                shutdowns.incrementAndGet();
            }
        };
    }
}
