package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.stack.wire.Capture;
import atoll.stack.wire.Hex;
import atoll.stack.wire.Icmpv4Message;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.wire.Verdict;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The stack stands in for 192.0.2.2 (MAC 2e:d4:b1:14:92:04) in an exchange captured between two
 * Linux network namespaces (see {@code Capture}): it is fed the frames Linux's 192.0.2.1 sent and
 * must answer what Linux's 192.0.2.2 answered, byte for byte where the protocols fix the bytes.
 */
class LinuxExchangeTest {

    static Host linuxPeer() {
        return new Host(Host.config("2e:d4:b1:14:92:04", "192.0.2.2/24", null));
    }

    @Test
    void arpRequestGetsLinuxsReply() {
        try (Host h = linuxPeer()) {
            h.receive(Capture.frame(0));
            assertArrayEquals(Capture.frame(1), h.next());
            assertTrue(h.sent.isEmpty());
        }
    }

    @Test
    void pingGetsLinuxsEchoReply() {
        try (Host h = linuxPeer()) {
            h.receive(Capture.frame(0)); // the ARP request taught us 192.0.2.1's MAC
            h.next();
            h.receive(Capture.frame(2));
            byte[] ours = h.next();
            byte[] linux = Capture.frame(3);
            // Ethernet header and the whole ICMP message are identical; in the IPv4 header only the
            // identification (and so the checksum) may differ, and Linux leaves DF clear on replies.
            assertEquals(linux.length, ours.length);
            assertEquals(Hex.of(java.util.Arrays.copyOf(linux, 14)), Hex.of(java.util.Arrays.copyOf(ours, 14)));
            assertEquals(Hex.of(Host.slice(linux, 34)), Hex.of(Host.slice(ours, 34)));
            Ipv4Header ip = new Ipv4Header();
            assertEquals(Verdict.OK, ip.check(MemorySegment.ofArray(ours), 14, ours.length - 14));
            assertEquals(0xc0000202, ip.source());
            assertEquals(0xc0000201, ip.destination());
            assertEquals(IpProtocol.ICMP, ip.protocol());
            assertEquals(64, ip.ttl());
            assertEquals(1, h.count("icmp.tx.echo_replies"));
        }
    }

    @Test
    void fragmentedPingIsReassembledAndTheReplyFragmentedLikeLinux() {
        try (Host h = linuxPeer()) {
            h.receive(Capture.frame(0));
            h.next();
            h.receive(Capture.frame(7)); // the second fragment first: out of order on purpose
            assertTrue(h.sent.isEmpty());
            assertEquals(1, h.nic.ip().reassembling());
            h.receive(Capture.frame(6));
            assertEquals(0, h.nic.ip().reassembling());
            byte[] first = h.next();
            byte[] second = h.next();
            assertTrue(h.sent.isEmpty());
            byte[] linuxFirst = Capture.frame(8);
            byte[] linuxSecond = Capture.frame(9);
            assertEquals(linuxFirst.length, first.length);
            assertEquals(linuxSecond.length, second.length);
            // Payloads after the IPv4 headers: the ICMP reply and its data, cut where Linux cut.
            assertEquals(Hex.of(Host.slice(linuxFirst, 34)), Hex.of(Host.slice(first, 34)));
            assertEquals(Hex.of(Host.slice(linuxSecond, 34)), Hex.of(Host.slice(second, 34)));
            Ipv4Header ip = new Ipv4Header();
            assertEquals(Verdict.OK, ip.check(MemorySegment.ofArray(second), 14, second.length - 14));
            assertEquals(1480, ip.fragmentOffset());
            assertEquals(1, h.count("ip.reassembly.done"));
        }
    }

    @Test
    void udpToAClosedPortGetsLinuxsPortUnreachable() {
        try (Host h = linuxPeer()) {
            h.receive(Capture.frame(0));
            h.next();
            byte[] datagram = Capture.frame(4);
            // Linux offloaded the UDP checksum on veth; the wire value is the full one.
            datagram[40] = (byte) 0x85;
            datagram[41] = (byte) 0xd0;
            h.receive(datagram);
            byte[] ours = h.next();
            byte[] linux = Capture.frame(5);
            linux[34 + 8 + 20 + 6] = (byte) 0x85; // the quote carries the checksum we were sent
            linux[34 + 8 + 20 + 7] = (byte) 0xd0;
            // Linux's ICMP checksum covered its partial quote: recompute for the corrected one.
            linux[36] = 0;
            linux[37] = 0;
            int c = atoll.stack.wire.InternetChecksum.of(MemorySegment.ofArray(linux), 34, linux.length - 34);
            linux[36] = (byte) (c >>> 8);
            linux[37] = (byte) c;
            assertEquals(Hex.of(Host.slice(linux, 34)), Hex.of(Host.slice(ours, 34)));
            Icmpv4Message m = new Icmpv4Message();
            assertEquals(Verdict.OK, m.check(MemorySegment.ofArray(ours), 34, ours.length - 34));
            assertEquals(Icmpv4Message.PORT_UNREACHABLE, m.code());
            assertEquals(1, h.count("udp.rx.closed_port"));
        }
    }
}
