package atoll.stack.link;

import atoll.libos.buffer.PooledBuffer;

/**
 * Where the IPv4 engine hands a finished datagram: the link below it. On Ethernet that is ARP
 * (which resolves the next hop and frames it); on a point-to-point link (a tunnel, no link
 * addresses) it is whatever carries the datagram as it is. Engines never do I/O themselves
 * (DESIGN §5).
 */
public interface Ipv4Link {

    /**
     * Sends {@code datagram} (the buffer's window, IPv4 header first) towards {@code nextHop}.
     * Takes ownership in every outcome.
     */
    SendOutcome send(int nextHop, PooledBuffer datagram, long now);

    /** Sends {@code datagram} to every host on the link. Takes ownership in every outcome. */
    SendOutcome sendBroadcast(PooledBuffer datagram);
}
