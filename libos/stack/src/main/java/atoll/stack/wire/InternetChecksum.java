package atoll.stack.wire;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words. Used by IPv4 (header), ICMPv4, UDP and TCP (header,
 * payload and the IPv4 pseudo-header).
 *
 * <p>Incremental: a running sum is a {@code long} started at {@code 0} (or at
 * {@link #pseudoHeader}) and fed piece by piece with {@code add}; {@link #finish} folds it and
 * takes the complement. RFC 1071 §2(B): the sum does not depend on the order in which the pieces
 * are added, but every piece except the last must have an even length (an odd piece would shift
 * the next one's bytes). Checking a received packet is the same sum over the bytes including their
 * checksum field; {@link #finish} then returns 0 for a packet that verifies.
 *
 * <p>{@link #update} is the RFC 1624 incremental update of a stored checksum when one 16-bit word
 * changes (an IPv4 TTL decrement).
 */
public final class InternetChecksum {
    private InternetChecksum() {}

    /**
     * Adds {@code length} bytes at {@code offset} of {@code segment} to {@code sum}. An odd length
     * pads the last byte with a zero octet on the right (RFC 1071 §4.1), which is only right for
     * the last piece.
     */
    public static long add(long sum, MemorySegment segment, long offset, long length) {
        long i = 0;
        // RFC 1071 §2(A)/(C): the sum is byte-order independent and may be taken over wider words
        // and folded at the end; 2^16 == 1 (mod 2^16 - 1), so a 32-bit word counts as its halves.
        for (; i + 8 <= length; i += 8) {
            long w = segment.get(BigEndian.I64, offset + i);
            sum += (w >>> 32) + (w & 0xffff_ffffL);
        }
        for (; i + 2 <= length; i += 2) {
            sum += BigEndian.u16(segment, offset + i);
        }
        if (i < length) {
            sum += BigEndian.u8(segment, offset + i) << 8;
        }
        return fold32(sum);
    }

    /** Adds one 16-bit word. */
    public static long addU16(long sum, int word) {
        return sum + (word & 0xffff);
    }

    /** Adds a 32-bit value as two 16-bit words (an IPv4 address). */
    public static long addI32(long sum, int value) {
        return sum + (value >>> 16) + (value & 0xffff);
    }

    /**
     * The running sum of the IPv4 pseudo-header (RFC 9293 §3.1 "TCP Pseudo-Header", RFC 768
     * "Fields"): source address, destination address, a zero octet and the protocol, and the
     * TCP/UDP length (header plus data, not counting the pseudo-header).
     */
    public static long pseudoHeader(int source, int destination, int protocol, int length) {
        long sum = addI32(0, source);
        sum = addI32(sum, destination);
        sum = addU16(sum, protocol & 0xff);
        return addU16(sum, length);
    }

    /** Folds the carries back in and returns the one's complement: the checksum field's value. */
    public static int finish(long sum) {
        long s = fold32(sum);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) (~s & 0xffff);
    }

    /** The checksum of {@code length} bytes at {@code offset}. */
    public static int of(MemorySegment segment, long offset, long length) {
        return finish(add(0, segment, offset, length));
    }

    /**
     * RFC 1624 §3 eqn. 3, {@code HC' = ~(~HC + ~m + m')}: the checksum after one 16-bit word of
     * the covered data changes from {@code oldWord} to {@code newWord}.
     */
    public static int update(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return finish(sum);
    }

    private static long fold32(long sum) {
        sum = (sum & 0xffff_ffffL) + (sum >>> 32);
        return (sum & 0xffff_ffffL) + (sum >>> 32);
    }
}
