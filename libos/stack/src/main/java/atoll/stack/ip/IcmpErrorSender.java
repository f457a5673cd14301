package atoll.stack.ip;

import java.lang.foreign.MemorySegment;

/**
 * Sends ICMP error messages about a received datagram; the ICMP engine implements it and decides
 * (RFC 1122 §3.2.2 rules, rate limit) whether one actually goes out.
 */
@FunctionalInterface
public interface IcmpErrorSender {

    /**
     * Reports on the datagram whose IPv4 header starts at {@code ipOffset} in {@code segment},
     * {@code ipLength} bytes in all (header and data); the message quotes its start. Nothing is
     * retained after the call.
     *
     * @param info the 4 type-specific octets (the next-hop MTU for "fragmentation needed")
     */
    void sendError(int type, int code, int info, MemorySegment segment, long ipOffset, int ipLength, long now);

    IcmpErrorSender NONE = (type, code, info, segment, ipOffset, ipLength, now) -> {};
}
