package atoll.stack.wire;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An IPv4 header as a value, without options: {@link #emit} always writes a 20-byte header, and
 * {@link #parse} skips any options a received header carries.
 *
 * @param fragmentOffset in bytes, a multiple of 8
 * @param payloadLength the bytes after the header (Total Length − 20 when emitted)
 */
public record Ipv4Repr(
        int tos, int identification, boolean dontFragment, boolean moreFragments, int fragmentOffset,
        int ttl, int protocol, Ipv4Address source, Ipv4Address destination, int payloadLength) {

    public Ipv4Repr {
        check(tos, 0xff, "TOS");
        check(identification, 0xffff, "identification");
        if (fragmentOffset < 0 || fragmentOffset % 8 != 0 || fragmentOffset / 8 > Ipv4Header.OFFSET_MASK) {
            throw new IllegalArgumentException("fragment offset " + fragmentOffset);
        }
        check(ttl, 0xff, "TTL");
        check(protocol, 0xff, "protocol");
        Objects.requireNonNull(source);
        Objects.requireNonNull(destination);
        check(payloadLength, Ipv4Header.MAX_DATAGRAM - Ipv4Header.MIN_LENGTH, "payload length");
    }

    /** An unfragmented datagram with DF clear, TTL 64 and TOS 0. */
    public static Ipv4Repr of(int protocol, Ipv4Address source, Ipv4Address destination, int identification,
            int payloadLength) {
        return new Ipv4Repr(0, identification, false, false, 0, Ipv4Header.DEFAULT_TTL, protocol, source,
                destination, payloadLength);
    }

    public static Ipv4Repr parse(MemorySegment s, long offset, int length) throws MalformedPacketException {
        Ipv4Header h = new Ipv4Header();
        MalformedPacketException.require(h.check(s, offset, length), "IPv4");
        return of(h);
    }

    public static Ipv4Repr of(Ipv4Header h) {
        return new Ipv4Repr(h.tos(), h.identification(), h.dontFragment(), h.moreFragments(), h.fragmentOffset(),
                h.ttl(), h.protocol(), new Ipv4Address(h.source()), new Ipv4Address(h.destination()),
                h.payloadLength());
    }

    public void emit(MemorySegment s, long offset) {
        emit(s, offset, tos, identification, (dontFragment ? Ipv4Header.DF : 0) | (moreFragments ? Ipv4Header.MF : 0)
                | fragmentOffset / 8, ttl, protocol, source.bits(), destination.bits(), payloadLength);
    }

    /**
     * Writes a 20-byte header with its checksum, without a record (the allocation-free path).
     *
     * @param flagsFragment the flags and fragment-offset field as sent (DF | MF | offset / 8)
     */
    public static void emit(MemorySegment s, long offset, int tos, int identification, int flagsFragment, int ttl,
            int protocol, int source, int destination, int payloadLength) {
        BigEndian.putU8(s, offset + Ipv4Header.VERSION_IHL, 0x45);
        BigEndian.putU8(s, offset + Ipv4Header.TOS, tos);
        BigEndian.putU16(s, offset + Ipv4Header.TOTAL_LENGTH, Ipv4Header.MIN_LENGTH + payloadLength);
        BigEndian.putU16(s, offset + Ipv4Header.IDENTIFICATION, identification);
        BigEndian.putU16(s, offset + Ipv4Header.FLAGS_FRAGMENT, flagsFragment);
        BigEndian.putU8(s, offset + Ipv4Header.TTL, ttl);
        BigEndian.putU8(s, offset + Ipv4Header.PROTOCOL, protocol);
        BigEndian.putU16(s, offset + Ipv4Header.CHECKSUM, 0);
        BigEndian.putI32(s, offset + Ipv4Header.SOURCE, source);
        BigEndian.putI32(s, offset + Ipv4Header.DESTINATION, destination);
        BigEndian.putU16(s, offset + Ipv4Header.CHECKSUM, InternetChecksum.of(s, offset, Ipv4Header.MIN_LENGTH));
    }

    /** Pushes this header, as the {@link HeaderLayer#NETWORK} header, before the payload in {@code buffer}. */
    public void prependTo(PooledBuffer buffer) {
        buffer.pushHeader(HeaderLayer.NETWORK, Ipv4Header.MIN_LENGTH);
        emit(buffer.memory(), buffer.start());
    }

    private static void check(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " " + v + " not in 0.." + max);
        }
    }
}
