package atoll.stack;

import atoll.stack.wire.ArpRepr;
import atoll.stack.wire.EthernetFrame;
import atoll.stack.wire.EthernetRepr;
import atoll.stack.wire.Icmpv4Repr;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.Ipv4Repr;
import atoll.stack.wire.MacAddress;
import atoll.stack.wire.UdpRepr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Test helper: frames a peer would send, built with the wire records. */
final class Frames {
    private Frames() {}

    static byte[] arp(MacAddress ethDst, int op, MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        MemorySegment s = MemorySegment.ofArray(new byte[42]);
        new EthernetRepr(ethDst, sha, EthernetFrame.TYPE_ARP).emit(s, 0);
        new ArpRepr(op, sha, spa, tha, tpa).emit(s, 14);
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Ethernet + IPv4 around {@code transport} (transport header and data, checksummed already). */
    static byte[] ipv4(MacAddress src, MacAddress dst, Ipv4Repr ip, byte[] transport) {
        MemorySegment s = MemorySegment.ofArray(new byte[14 + 20 + transport.length]);
        new EthernetRepr(dst, src, EthernetFrame.TYPE_IPV4).emit(s, 0);
        ip.emit(s, 14);
        MemorySegment.copy(MemorySegment.ofArray(transport), 0, s, 34, transport.length);
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] udp(MacAddress srcMac, MacAddress dstMac, Ipv4Address src, Ipv4Address dst, int sport, int dport,
            byte[] data, int identification) {
        byte[] t = new byte[8 + data.length];
        MemorySegment s = MemorySegment.ofArray(t);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 8, data.length);
        new UdpRepr(sport, dport).emit(s, 0, data.length, src.bits(), dst.bits());
        return ipv4(srcMac, dstMac, Ipv4Repr.of(IpProtocol.UDP, src, dst, identification, t.length), t);
    }

    static byte[] echo(MacAddress srcMac, MacAddress dstMac, Ipv4Address src, Ipv4Address dst, int id, int seq,
            byte[] data) {
        byte[] t = new byte[8 + data.length];
        MemorySegment s = MemorySegment.ofArray(t);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 8, data.length);
        new Icmpv4Repr.EchoRequest(id, seq).emit(s, 0, data.length);
        return ipv4(srcMac, dstMac, Ipv4Repr.of(IpProtocol.ICMP, src, dst, 1, t.length), t);
    }
}
