package atoll.tap;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.TransportAddress;
import atoll.libos.net.UdpEndpoint;
import atoll.stack.link.SendOutcome;
import atoll.stack.udp.DatagramReceiver;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * A UDP port bound on the tap target's stack. Datagrams arrive on the loop thread from the UDP
 * engine and go to the appliance's handler with one reused {@link DatagramAddresses} (no
 * allocation per datagram); sends from the loop thread go straight to the engine, sends from other
 * threads are handed to the loop.
 */
final class TapUdpEndpoint implements UdpEndpoint, DatagramReceiver {
    private static final System.Logger LOG = System.getLogger("atoll.tap");

    private final TapNetworkStack stack;
    private final InetSocketAddress local;
    private final int port;
    private final DatagramHandler handler;
    private final DatagramAddresses addresses = new DatagramAddresses();
    private final Metrics.Counter txDropped;
    private final Metrics.Counter handlerFailures;
    private volatile boolean closed;

    TapUdpEndpoint(TapNetworkStack stack, InetSocketAddress local, int port, DatagramHandler handler) {
        this.stack = stack;
        this.local = local;
        this.port = port;
        this.handler = handler;
        this.txDropped = stack.metrics().counter("tap.udp.tx.dropped");
        this.handlerFailures = stack.metrics().counter("tap.udp.handler-failures");
    }

    int port() {
        return port;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    /** From the UDP engine, on the loop thread. */
    @Override
    public void receive(PooledBuffer payload, int source, int sourcePort, int destination, int destinationPort,
            long now) {
        if (closed) {
            payload.release();
            return;
        }
        addresses.source().setIpv4(source, sourcePort);
        addresses.destination().setIpv4(destination, destinationPort);
        try {
            handler.onDatagram(this, payload, addresses);
        } catch (RuntimeException e) {
            // The handler owned the payload: whether it released it is unknown.
            handlerFailures.increment();
            LOG.log(Level.ERROR, "datagram handler failed", e);
        }
    }

    @Override
    public void reply(PooledBuffer payload, DatagramAddresses received) {
        TransportAddress from = received.destination();
        if (!from.isIpv4() || from.port() != port
                || (from.ipv4() != stack.iface().config().address().bits())) {
            payload.release();
            throw new IllegalArgumentException("cannot reply from " + from + ": this endpoint receives on "
                    + stack.iface().config().address() + ":" + port);
        }
        send(payload, received.source());
    }

    @Override
    public void send(PooledBuffer payload, TransportAddress destination) {
        if (closed || !destination.isIpv4()) {
            txDropped.increment();
            payload.release();
            if (!closed) {
                throw new IllegalArgumentException("the tap target speaks IPv4 only, cannot send to " + destination);
            }
            return;
        }
        int address = destination.ipv4();
        int dport = destination.port();
        if (stack.loop().inLoop()) {
            sendOnLoop(payload, address, dport);
        } else {
            stack.loop().execute(() -> sendOnLoop(payload, address, dport));
        }
    }

    @Override
    public void send(PooledBuffer payload, InetSocketAddress destination) {
        send(payload, TransportAddress.of(destination));
    }

    private void sendOnLoop(PooledBuffer payload, int address, int dport) {
        if (closed) {
            txDropped.increment();
            payload.release();
            return;
        }
        payload.forgetHeaders(); // a received payload sent back carries its old headers' records
        SendOutcome outcome = stack.iface().udp().send(port, address, dport, payload, System.nanoTime());
        if (outcome != SendOutcome.SENT && outcome != SendOutcome.QUEUED) {
            txDropped.increment();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.closed(this);
    }
}
