package atoll.stack.wire;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** An Ethernet II header as a value. */
public record EthernetRepr(MacAddress destination, MacAddress source, int etherType) {
    public EthernetRepr {
        Objects.requireNonNull(destination);
        Objects.requireNonNull(source);
        if (etherType < 0 || etherType > 0xffff) {
            throw new IllegalArgumentException("EtherType " + etherType);
        }
    }

    public static EthernetRepr parse(MemorySegment s, long offset, int length) throws MalformedPacketException {
        EthernetFrame f = new EthernetFrame();
        MalformedPacketException.require(f.check(s, offset, length), "Ethernet");
        return of(f);
    }

    public static EthernetRepr of(EthernetFrame f) {
        return new EthernetRepr(new MacAddress(f.destination()), new MacAddress(f.source()), f.etherType());
    }

    public void emit(MemorySegment s, long offset) {
        emit(s, offset, destination.bits(), source.bits(), etherType);
    }

    /** Writes a header without a record (the allocation-free send path). */
    public static void emit(MemorySegment s, long offset, long destination, long source, int etherType) {
        BigEndian.putU48(s, offset + EthernetFrame.DESTINATION, destination);
        BigEndian.putU48(s, offset + EthernetFrame.SOURCE, source);
        BigEndian.putU16(s, offset + EthernetFrame.ETHER_TYPE, etherType);
    }

    /** Pushes this header as the buffer's {@link HeaderLayer#LINK} header. */
    public void prependTo(PooledBuffer buffer) {
        buffer.pushHeader(HeaderLayer.LINK, EthernetFrame.HEADER_LENGTH);
        emit(buffer.memory(), buffer.start());
    }
}
