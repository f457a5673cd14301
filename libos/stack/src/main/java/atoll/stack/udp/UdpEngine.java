package atoll.stack.udp;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.stack.ip.IcmpError;
import atoll.stack.ip.IcmpErrorSender;
import atoll.stack.ip.Ipv4Engine;
import atoll.stack.ip.ProtocolHandler;
import atoll.stack.link.SendOutcome;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.wire.UdpHeader;
import atoll.stack.wire.UdpRepr;
import atoll.stack.wire.Verdict;

/**
 * UDP (RFC 768, RFC 1122 §4.1), sans-I/O: demultiplexes datagrams to bound ports and answers
 * datagrams for closed ports with ICMP port unreachable; sends datagrams with their checksum.
 */
public final class UdpEngine implements ProtocolHandler {
    private final Ipv4Engine ip;
    private final IcmpErrorSender errors;
    private final DatagramReceiver[] ports = new DatagramReceiver[65536];
    private DatagramReceiver transparent;
    private final UdpHeader view = new UdpHeader();

    private final Metrics.Counter rxMalformed;
    private final Metrics.Counter rxBadChecksum;
    private final Metrics.Counter rxClosedPort;
    private final Metrics.Counter rxDelivered;

    /** Registers itself with {@code ip} for protocol 17. */
    public UdpEngine(Ipv4Engine ip, IcmpErrorSender errors, Metrics metrics) {
        this.ip = ip;
        this.errors = errors;
        this.rxMalformed = metrics.counter("udp.rx.malformed");
        this.rxBadChecksum = metrics.counter("udp.rx.bad_checksum");
        this.rxClosedPort = metrics.counter("udp.rx.closed_port");
        this.rxDelivered = metrics.counter("udp.rx.delivered");
        ip.register(IpProtocol.UDP, this);
    }

    /**
     * Binds {@code port} to {@code receiver}.
     *
     * @throws IllegalStateException if the port is bound already
     * @throws IllegalArgumentException if the port is not 1..65535
     */
    public void bind(int port, DatagramReceiver receiver) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("UDP port " + port + " not in 1..65535");
        }
        if (ports[port] != null) {
            throw new IllegalStateException("UDP port " + port + " is already bound");
        }
        ports[port] = receiver;
    }

    /** Unbinds {@code port}; later datagrams for it get a port unreachable. */
    public void unbind(int port) {
        ports[port & 0xffff] = null;
    }

    /**
     * Sets the receiver of every datagram that no bound port takes: those to other addresses
     * (with {@code Ipv4Engine.acceptAnyDestination} on) and those to our unbound ports, which then
     * get no port unreachable from the engine (the receiver decides). For a gateway relaying the
     * flows that pass through it; null removes it.
     */
    public void bindTransparent(DatagramReceiver receiver) {
        this.transparent = receiver;
    }

    public boolean isBound(int port) {
        return ports[port & 0xffff] != null;
    }

    @Override
    public void receive(PooledBuffer packet, Ipv4Header header, long now) {
        Verdict v = view.check(packet, header.source(), header.destination());
        if (v != Verdict.OK) {
            (v == Verdict.BAD_CHECKSUM ? rxBadChecksum : rxMalformed).increment();
            packet.release();
            return;
        }
        int dstPort = view.dstPort();
        int dst = header.destination();
        // Only a transparent receiver takes datagrams in transit (to an address not ours).
        boolean transit = dst != ip.config().address().bits() && !ip.config().isBroadcast(dst);
        DatagramReceiver r = dstPort == 0 || transit ? null : ports[dstPort];
        if (r == null && dstPort != 0) {
            r = transparent;
        }
        if (r == null) {
            rxClosedPort.increment();
            // RFC 1122 §4.1.3.1: "If a datagram arrives addressed to a UDP port for which there is
            // no pending LISTEN call, UDP SHOULD send an ICMP Port Unreachable message."
            errors.sendError(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.PORT_UNREACHABLE, 0,
                    packet.memory(), packet.headerOffset(HeaderLayer.NETWORK), header.totalLength(), now);
            packet.release();
            return;
        }
        packet.truncate(view.length());
        packet.consumeHeader(HeaderLayer.TRANSPORT, UdpHeader.HEADER_LENGTH);
        rxDelivered.increment();
        r.receive(packet, header.source(), view.srcPort(), header.destination(), dstPort, now);
    }

    @Override
    public void icmpError(IcmpError error, long now) {
        DatagramReceiver r = error.srcPort() > 0 ? ports[error.srcPort()] : null;
        if (r != null) {
            r.icmpError(error, now);
        }
    }

    /**
     * Sends {@code payload} (the buffer's window) from our address and {@code sourcePort} to
     * {@code destination}:{@code destinationPort}. Takes ownership in every outcome.
     */
    public SendOutcome send(int sourcePort, int destination, int destinationPort, PooledBuffer payload, long now) {
        return send(ip.config().address().bits(), sourcePort, destination, destinationPort, payload, now);
    }

    /**
     * As {@link #send(int, int, int, PooledBuffer, long)}, from {@code source}: our address, or
     * (with {@code Ipv4Engine.acceptAnyDestination} on) the address a relayed datagram was sent
     * to, answering for it. Takes ownership in every outcome.
     */
    public SendOutcome send(int source, int sourcePort, int destination, int destinationPort, PooledBuffer payload,
            long now) {
        if (payload.length() > 65535 - UdpHeader.HEADER_LENGTH || payload.headroom() < UdpHeader.HEADER_LENGTH) {
            payload.release();
            return SendOutcome.TOO_BIG;
        }
        int length = payload.length();
        payload.pushHeader(HeaderLayer.TRANSPORT, UdpHeader.HEADER_LENGTH);
        UdpRepr.emit(payload.memory(), payload.start(), sourcePort, destinationPort, length, source, destination);
        return ip.send(IpProtocol.UDP, source, destination, 0, false, payload, now);
    }
}
