package atoll.socket;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.TransportAddress;
import atoll.libos.net.UdpEndpoint;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One UDP endpoint served by several event loops ({@link SocketNetworkStack#bindUdpPerLoop}): a
 * {@link SocketUdpEndpoint} per loop, all on one address and port. Datagrams sent through this
 * object leave from the first loop's sockets; handlers reply through their own loop's endpoint,
 * which is the one they are called with. Closing closes them all.
 */
final class LoopUdpEndpoints implements UdpEndpoint {
    private final List<UdpEndpoint> perLoop;

    LoopUdpEndpoints(List<UdpEndpoint> perLoop) {
        this.perLoop = perLoop;
    }

    @Override
    public InetSocketAddress localAddress() {
        return perLoop.getFirst().localAddress();
    }

    @Override
    public void reply(PooledBuffer payload, DatagramAddresses received) {
        perLoop.getFirst().reply(payload, received);
    }

    @Override
    public void send(PooledBuffer payload, TransportAddress destination) {
        perLoop.getFirst().send(payload, destination);
    }

    @Override
    public void send(PooledBuffer payload, InetSocketAddress destination) {
        perLoop.getFirst().send(payload, destination);
    }

    @Override
    public void close() {
        for (UdpEndpoint ep : perLoop) {
            ep.close();
        }
    }
}
