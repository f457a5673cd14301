package atoll.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.FlowHandler;
import atoll.libos.net.NetworkStack;
import atoll.libos.net.TcpFlow;
import atoll.libos.net.TcpListener;
import atoll.libos.net.UdpEndpoint;
import atoll.linux.tap.TapDevice;
import java.io.IOException;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The network stack the tap target gives the appliance: Atoll's own stack over the TAP device.
 * The protocol engines (ARP, IPv4, ICMP, UDP, TCP) come from the stack module; until they are
 * wired in, received frames are counted and dropped and UDP/TCP refuse to bind.
 */
final class TapNetworkStack implements NetworkStack {
    private final TapLoop loop;
    private final BufferPool pool;
    private final Metrics.Counter unhandled;
    private final Ipv4Interface ipv4;

    TapNetworkStack(TapLoop loop, BufferPool pool, Metrics metrics, TapDevice device, MacAddress mac,
            Ipv4Interface ipv4, Ipv4Address gateway) {
        this.loop = loop;
        this.pool = pool;
        this.ipv4 = ipv4;
        this.unhandled = metrics.counter("tap.rx.unhandled");
    }

    /** What the event loop drives. */
    LinkDriver driver() {
        return new LinkDriver() {
            @Override
            public void onFrame(PooledBuffer frame, long nowNanos) {
                unhandled.increment();
                frame.release();
            }

            @Override
            public long poll(long nowNanos) {
                return NO_DEADLINE;
            }
        };
    }

    @Override
    public UdpEndpoint bindUdp(InetSocketAddress local, DatagramHandler handler) throws IOException {
        throw new IOException("UDP is not implemented on the tap target yet");
    }

    @Override
    public TcpListener listenTcp(InetSocketAddress local, FlowHandler handler) throws IOException {
        throw new IOException("TCP is not implemented on the tap target yet");
    }

    @Override
    public TcpFlow connectTcp(InetSocketAddress remote) throws IOException {
        throw new IOException("TCP is not implemented on the tap target yet");
    }

    @Override
    public List<InetAddress> localAddresses() {
        return List.of(ipv4.address().toInetAddress());
    }

    @Override
    public BufferPool bufferPool() {
        return pool;
    }

    void shutdown(Duration grace) {}
}
