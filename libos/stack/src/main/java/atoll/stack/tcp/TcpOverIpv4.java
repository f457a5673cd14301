package atoll.stack.tcp;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropy;
import atoll.stack.ip.IcmpError;
import atoll.stack.ip.Ipv4Engine;
import atoll.stack.ip.ProtocolHandler;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Header;

/**
 * Puts a {@link TcpStack} on an {@link Ipv4Engine}: registers for protocol 6, hands every TCP
 * datagram to the stack with its IPv4 source and destination (for the pseudo-header and the
 * demultiplexing), and sends the stack's segments through the engine. The target drives the
 * timers: {@link TcpStack#onTimer} at {@link TcpStack#nextDeadline}, beside the interface's poll.
 *
 * <p>ICMP destination-unreachable errors about our segments go to
 * {@link TcpStack#destinationUnreachable}; the others are ignored (see CONFORMANCE.md).
 */
public final class TcpOverIpv4 implements ProtocolHandler {
    private final Ipv4Engine ip;
    private final TcpStack tcp;

    /**
     * @param config its MSS should be the interface MTU less 40 (IPv4 and TCP headers without options)
     * @param pool the interface's pool: its headroom must hold TCP (60), IPv4 and link headers
     */
    public TcpOverIpv4(Ipv4Engine ip, TcpConfig config, BufferPool pool, Entropy entropy) {
        this.ip = ip;
        this.tcp = new TcpStack(config, pool, this::send, entropy);
        ip.register(IpProtocol.TCP, this);
    }

    /** The TCP stack: listen, connect, timers, counters. */
    public TcpStack tcp() {
        return tcp;
    }

    @Override
    public void receive(PooledBuffer packet, Ipv4Header header, long now) {
        tcp.receive(now, header.source(), header.destination(), packet);
    }

    @Override
    public void icmpError(IcmpError error, long now) {
        if (error.type() == Icmpv4Message.DESTINATION_UNREACHABLE) {
            tcp.destinationUnreachable(now, error.source(), error.srcPort(), error.destination(), error.dstPort(),
                    error.tcpSequence(), error.code());
        }
    }

    private void send(int src, int dst, PooledBuffer segment) {
        // The engine takes the buffer in every outcome; a segment it could not send is
        // recovered by TCP's own retransmission.
        // From src: our address, or the address a transparently terminated connection was made to.
        ip.send(IpProtocol.TCP, src, dst, 0, false, segment, tcp.now());
    }
}
