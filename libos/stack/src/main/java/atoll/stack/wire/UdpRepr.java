package atoll.stack.wire;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/** A UDP header as a value: the ports (length and checksum follow from the data). */
public record UdpRepr(int srcPort, int dstPort) {
    public UdpRepr {
        if (srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
            throw new IllegalArgumentException("ports " + srcPort + ", " + dstPort);
        }
    }

    public static UdpRepr parse(MemorySegment s, long offset, int length, int source, int destination)
            throws MalformedPacketException {
        UdpHeader h = new UdpHeader();
        MalformedPacketException.require(h.check(s, offset, length, source, destination), "UDP");
        return new UdpRepr(h.srcPort(), h.dstPort());
    }

    public void emit(MemorySegment s, long offset, int payloadLength, int source, int destination) {
        emit(s, offset, srcPort, dstPort, payloadLength, source, destination);
    }

    /**
     * Writes the 8-byte header at {@code offset}, followed in memory by the payload already in
     * place, with its checksum (without a record: the allocation-free path).
     */
    public static void emit(MemorySegment s, long offset, int srcPort, int dstPort, int payloadLength, int source,
            int destination) {
        int length = UdpHeader.HEADER_LENGTH + payloadLength;
        if (length > 0xffff) {
            throw new IllegalArgumentException("UDP datagram of " + length + " bytes exceeds 65535");
        }
        BigEndian.putU16(s, offset + UdpHeader.SRC_PORT, srcPort);
        BigEndian.putU16(s, offset + UdpHeader.DST_PORT, dstPort);
        BigEndian.putU16(s, offset + UdpHeader.LENGTH, length);
        BigEndian.putU16(s, offset + UdpHeader.CHECKSUM, 0);
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.UDP, length);
        int c = InternetChecksum.finish(InternetChecksum.add(sum, s, offset, length));
        // RFC 768: "If the computed checksum is zero, it is transmitted as all ones."
        BigEndian.putU16(s, offset + UdpHeader.CHECKSUM, c == 0 ? 0xffff : c);
    }

    /** Pushes this header, as the {@link HeaderLayer#TRANSPORT} header, before the payload in {@code buffer}. */
    public void prependTo(PooledBuffer buffer, int source, int destination) {
        int payload = buffer.length();
        buffer.pushHeader(HeaderLayer.TRANSPORT, UdpHeader.HEADER_LENGTH);
        emit(buffer.memory(), buffer.start(), payload, source, destination);
    }
}
