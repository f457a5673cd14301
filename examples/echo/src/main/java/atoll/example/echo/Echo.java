package atoll.example.echo;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.libos.runtime.Appliance;
import atoll.libos.runtime.Devices;
import atoll.libos.runtime.Launcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An echo service (RFC 862): every UDP datagram goes back to its sender, every octet received on
 * a TCP connection goes back on it. The whole appliance: keys, start, stop and the entry point.
 */
public final class Echo implements Appliance {
    static final ConfigKey<List<InetAddress>> LISTEN = ConfigKey.of("listen",
            ValueTypes.nonEmptyListOf(ValueTypes.inetAddress()),
            List.of(InetAddress.getLoopbackAddress()), "addresses to echo on, over UDP and TCP");
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.portOrZero(), 7007,
            "port to echo on, over UDP and TCP (0 picks a free one)");

    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private final List<TcpListener> listeners = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(Launcher.run(new Echo(), "1", args));
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LISTEN, PORT);
    }

    @Override
    public void start(Devices devices) throws IOException {
        for (InetAddress address : devices.config().get(LISTEN)) {
            var local = new InetSocketAddress(address, devices.config().get(PORT));
            // The datagram is answered in place: reply takes the buffer and releases it once sent.
            endpoints.add(devices.network().bindUdp(local, (endpoint, payload, from) -> endpoint.reply(payload, from)));
            listeners.add(devices.network().listenTcp(local, Echo::echo));
        }
    }

    /** One TCP connection, on its own virtual thread: read what came, write it back, until EOF. */
    private static void echo(TcpFlow flow) throws IOException {
        PooledBuffer buffer = flow.acquireBuffer();
        try {
            while (flow.read(buffer) > 0) {
                flow.write(buffer);
                flow.unitComplete(false);
                buffer.clear();
            }
        } finally {
            buffer.release();
        }
    }

    /** Where it listens (the ports are the ones chosen when port 0 was asked for). */
    List<InetSocketAddress> udpAddresses() {
        return endpoints.stream().map(UdpEndpoint::localAddress).toList();
    }

    List<InetSocketAddress> tcpAddresses() {
        return listeners.stream().map(TcpListener::localAddress).toList();
    }

    @Override
    public void stop(Duration grace) {
        listeners.forEach(TcpListener::close);
        endpoints.forEach(UdpEndpoint::close);
    }
}
