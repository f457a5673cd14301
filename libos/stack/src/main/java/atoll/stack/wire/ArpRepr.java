package atoll.stack.wire;

import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** An Ethernet/IPv4 ARP packet as a value (RFC 826). */
public record ArpRepr(
        int operation, MacAddress senderHardware, Ipv4Address senderProtocol,
        MacAddress targetHardware, Ipv4Address targetProtocol) {

    public ArpRepr {
        if (operation != ArpPacket.REQUEST && operation != ArpPacket.REPLY) {
            throw new IllegalArgumentException("ARP operation " + operation);
        }
        Objects.requireNonNull(senderHardware);
        Objects.requireNonNull(senderProtocol);
        Objects.requireNonNull(targetHardware);
        Objects.requireNonNull(targetProtocol);
    }

    public static ArpRepr parse(MemorySegment s, long offset, int length) throws MalformedPacketException {
        ArpPacket p = new ArpPacket();
        MalformedPacketException.require(p.check(s, offset, length), "ARP");
        return of(p);
    }

    public static ArpRepr of(ArpPacket p) {
        return new ArpRepr(p.operation(), new MacAddress(p.senderHardware()), new Ipv4Address(p.senderProtocol()),
                new MacAddress(p.targetHardware()), new Ipv4Address(p.targetProtocol()));
    }

    public void emit(MemorySegment s, long offset) {
        emit(s, offset, operation, senderHardware.bits(), senderProtocol.bits(), targetHardware.bits(),
                targetProtocol.bits());
    }

    /** Writes the 28 bytes without a record (the allocation-free path). */
    public static void emit(MemorySegment s, long offset, int operation, long sha, int spa, long tha, int tpa) {
        BigEndian.putU16(s, offset + ArpPacket.HARDWARE_TYPE, ArpPacket.HTYPE_ETHERNET);
        BigEndian.putU16(s, offset + ArpPacket.PROTOCOL_TYPE, EthernetFrame.TYPE_IPV4);
        BigEndian.putU8(s, offset + ArpPacket.HARDWARE_LENGTH, 6);
        BigEndian.putU8(s, offset + ArpPacket.PROTOCOL_LENGTH, 4);
        BigEndian.putU16(s, offset + ArpPacket.OPERATION, operation);
        BigEndian.putU48(s, offset + ArpPacket.SENDER_HARDWARE, sha);
        BigEndian.putI32(s, offset + ArpPacket.SENDER_PROTOCOL, spa);
        BigEndian.putU48(s, offset + ArpPacket.TARGET_HARDWARE, tha);
        BigEndian.putI32(s, offset + ArpPacket.TARGET_PROTOCOL, tpa);
    }

    /** Appends the 28 bytes to the window of {@code buffer}. */
    public void appendTo(PooledBuffer buffer) {
        int at = buffer.end();
        buffer.append(ArpPacket.LENGTH);
        emit(buffer.memory(), at);
    }
}
