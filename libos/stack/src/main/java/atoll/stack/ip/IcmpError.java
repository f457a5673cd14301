package atoll.stack.ip;

/**
 * An ICMP error message about a datagram we sent, with the fields of the quoted datagram a
 * transport needs to find its connection (RFC 792: the quote holds the IPv4 header and at least
 * the first 64 bits of data, i.e. the ports and, for TCP, the sequence number).
 *
 * @param info the type-specific octets: the next-hop MTU for "fragmentation needed"
 * @param source the quoted datagram's source (us)
 * @param destination the quoted datagram's destination
 * @param srcPort the quoted transport source port (UDP/TCP), or -1
 * @param dstPort the quoted transport destination port, or -1
 * @param tcpSequence the quoted TCP sequence number, valid only for TCP
 */
public record IcmpError(int type, int code, int info, int source, int destination, int protocol, int srcPort,
        int dstPort, int tcpSequence) {}
