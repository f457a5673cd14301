package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Jazzer targets for the Ethernet, ARP, IPv4, ICMPv4 and UDP views (TCP has its own,
 * {@link TcpHeaderFuzzTest}). Each returns a verdict and never throws; on OK every accessor works
 * and the record re-emits to bytes that parse to the same record. Checksums in the input are
 * fixed up first so the fuzzer gets past them. Seeds: {@code WireFuzzTestInputs/<method>/}.
 */
class WireFuzzTest {
    private static final int SRC = 0xc0000201;
    private static final int DST = 0xc0000202;

    @FuzzTest
    void ethernet(byte[] data) throws MalformedPacketException {
        EthernetFrame f = new EthernetFrame();
        if (f.check(MemorySegment.ofArray(data), 0, data.length) != Verdict.OK) {
            return;
        }
        EthernetRepr r = EthernetRepr.of(f);
        MemorySegment s = MemorySegment.ofArray(new byte[14]);
        r.emit(s, 0);
        assertEquals(r, EthernetRepr.parse(s, 0, 14));
        assertEquals(data.length - 14, f.payloadLength());
    }

    @FuzzTest
    void arp(byte[] data) throws MalformedPacketException {
        ArpPacket p = new ArpPacket();
        if (p.check(MemorySegment.ofArray(data), 0, data.length) != Verdict.OK) {
            return;
        }
        ArpRepr r = ArpRepr.of(p);
        MemorySegment s = MemorySegment.ofArray(new byte[28]);
        r.emit(s, 0);
        assertEquals(r, ArpRepr.parse(s, 0, 28));
    }

    @FuzzTest
    void ipv4(byte[] data) throws MalformedPacketException {
        if (data.length >= 20) {
            Ipv4Test.fixChecksum(data, Math.max(20, Math.min((data[0] & 0xf) * 4, data.length)));
        }
        Ipv4Header h = new Ipv4Header();
        if (h.check(MemorySegment.ofArray(data), 0, data.length) != Verdict.OK) {
            return;
        }
        assertTrue(h.headerLength() >= 20 && h.totalLength() <= data.length);
        h.isFragment();
        Ipv4Repr r = Ipv4Repr.of(h);
        MemorySegment s = MemorySegment.ofArray(new byte[20 + r.payloadLength()]);
        r.emit(s, 0);
        assertEquals(r, Ipv4Repr.parse(s, 0, (int) s.byteSize()));
    }

    @FuzzTest
    void icmpv4(byte[] data) throws MalformedPacketException {
        if (data.length >= 8) {
            data[2] = 0;
            data[3] = 0;
            int c = InternetChecksum.of(MemorySegment.ofArray(data), 0, data.length);
            data[2] = (byte) (c >>> 8);
            data[3] = (byte) c;
        }
        Icmpv4Message m = new Icmpv4Message();
        if (m.check(MemorySegment.ofArray(data), 0, data.length) != Verdict.OK) {
            return;
        }
        Icmpv4Repr r = Icmpv4Repr.of(m);
        byte[] copy = data.clone();
        r.emit(MemorySegment.ofArray(copy), 0, data.length - 8);
        assertEquals(Hex.of(data), Hex.of(copy)); // the record keeps every header octet
    }

    @FuzzTest
    void udp(byte[] data) throws MalformedPacketException {
        if (data.length >= 8) {
            int len = Math.min(((data[4] & 0xff) << 8) | (data[5] & 0xff), data.length);
            if (len >= 8) {
                data[6] = 0;
                data[7] = 0;
                long sum = InternetChecksum.pseudoHeader(SRC, DST, IpProtocol.UDP,
                        ((data[4] & 0xff) << 8) | (data[5] & 0xff));
                int c = InternetChecksum.finish(InternetChecksum.add(sum, MemorySegment.ofArray(data), 0, len));
                data[6] = (byte) (c >>> 8);
                data[7] = (byte) c;
            }
        }
        UdpHeader h = new UdpHeader();
        if (h.check(MemorySegment.ofArray(data), 0, data.length, SRC, DST) != Verdict.OK) {
            return;
        }
        assertTrue(h.length() >= 8 && h.length() <= data.length);
        UdpRepr r = new UdpRepr(h.srcPort(), h.dstPort());
        byte[] copy = new byte[h.length()];
        System.arraycopy(data, 0, copy, 0, copy.length);
        r.emit(MemorySegment.ofArray(copy), 0, h.payloadLength(), SRC, DST);
        assertEquals(r, UdpRepr.parse(MemorySegment.ofArray(copy), 0, copy.length, SRC, DST));
    }
}
