package atoll.socket;

import atoll.libos.net.NetworkStack;
import atoll.testkit.contract.StackUnderTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** The socket target for the testkit's contract tests: booted in-process, peers on loopback. */
final class SocketStack implements StackUnderTest {
    private final Booted booted;

    SocketStack() throws Exception {
        booted = new Booted();
    }

    /** @param config target keys, such as {@code socket.batch} */
    SocketStack(java.util.Map<String, String> config) throws Exception {
        booted = new Booted(config);
    }

    @Override
    public NetworkStack network() {
        return booted.net();
    }

    @Override
    public java.util.OptionalLong metric(String name) {
        return java.util.OptionalLong.of(booted.metrics.value(name));
    }

    @Override
    public InetAddress address(StandardProtocolFamily family) {
        try {
            return InetAddress.getByName(family == StandardProtocolFamily.INET6 ? "::1" : "127.0.0.1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public DatagramChannel openPeerUdp(StandardProtocolFamily family) throws IOException {
        DatagramChannel c = DatagramChannel.open(family);
        c.bind(new InetSocketAddress(address(family), 0));
        return c;
    }

    @Override
    public SocketChannel connectPeerTcp(InetSocketAddress to) throws IOException {
        return SocketChannel.open(to);
    }

    @Override
    public void shutdown(Duration grace) {
        booted.platform.shutdown(grace);
    }

    @Override
    public void close() {
        booted.close();
    }
}
