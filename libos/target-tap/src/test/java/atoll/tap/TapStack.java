package atoll.tap;

import atoll.libos.config.Config;
import atoll.libos.metrics.SimpleMetrics;
import atoll.libos.net.NetworkStack;
import atoll.linux.NetworkNamespaceThread;
import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.netns.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;

/**
 * The tap target for the testkit's contract tests. A network namespace made for the test holds a
 * TAP device whose kernel side is 192.0.2.1/24; the target is booted in this JVM from a thread
 * inside the namespace (so the device is the namespace's) as 192.0.2.2/24, and the peers are the
 * kernel's sockets, opened inside the namespace too. Closing deletes the namespace.
 */
final class TapStack implements StackUnderTest {
    static final String KERNEL = "192.0.2.1";
    static final String STACK = "192.0.2.2";

    private final NetworkNamespace ns;
    private final NetworkNamespaceThread inside;
    private final TapPlatform platform;
    private final SimpleMetrics metrics = new SimpleMetrics();
    private boolean shutDown;

    TapStack() throws Exception {
        NetworkNamespace.requireCommand("ping", "iputils-ping");
        ns = NetworkNamespace.create();
        NetworkNamespaceThread in = null;
        try {
            ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
            ns.ip("address", "add", KERNEL + "/24", "dev", "atoll0");
            ns.ip("link", "set", "atoll0", "up");
            TapTargetProvider provider = new TapTargetProvider();
            Config config = Config.of(provider.configKeys(), Map.of("tap.device", "atoll0", "ipv4", STACK + "/24",
                    "mac", "02:00:00:00:00:02"));
            in = new NetworkNamespaceThread(ns.name());
            platform = in.call(() -> (TapPlatform) provider.boot(config, metrics));
            inside = in;
            warmUp();
        } catch (Exception | Error e) {
            if (in != null) {
                in.close();
            }
            ns.close();
            throw e;
        }
    }

    /**
     * Resolves the link both ways before the contract test starts (the kernel's ARP entry for the
     * stack, the stack's for the kernel), with a ping from the namespace, retried a few times:
     * the kernel drops datagrams queued behind an ARP request that goes unanswered for 3 s
     * (mcast_solicit x retrans_time), which a cold JVM on a loaded machine can miss; ARP itself
     * is tested by TapKernelStackTest.
     */
    private void warmUp() {
        NetworkNamespace.Result r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = ns.exec(Duration.ofSeconds(15), "ping", "-c", "1", "-W", "3", STACK);
            if (r.status() == 0) {
                return;
            }
        }
        throw new AssertionError("the stack never answered ping: " + r.output());
    }

    @Override
    public NetworkStack network() {
        return platform.network();
    }

    @Override
    public java.util.OptionalLong metric(String name) {
        return java.util.OptionalLong.of(metrics.snapshot().getOrDefault(name, 0L));
    }

    @Override
    public InetAddress address(StandardProtocolFamily family) {
        if (family != StandardProtocolFamily.INET) {
            throw new IllegalArgumentException("the tap target speaks IPv4 only");
        }
        try {
            return InetAddress.getByName(STACK);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public DatagramChannel openPeerUdp(StandardProtocolFamily family) throws IOException {
        try {
            return inside.call(() -> {
                DatagramChannel c = DatagramChannel.open(family);
                c.bind(new InetSocketAddress(KERNEL, 0));
                return c;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public SocketChannel connectPeerTcp(InetSocketAddress to) throws IOException {
        try {
            return inside.call(() -> SocketChannel.open(to));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public synchronized void shutdown(Duration grace) {
        if (!shutDown) {
            shutDown = true;
            platform.shutdown(grace);
        }
    }

    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(5));
            platform.network().bufferPool().assertNoLeaks();
            platform.network().streamBufferPool().assertNoLeaks();
        } finally {
            inside.close();
            ns.close();
        }
    }
}
