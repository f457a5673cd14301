package atoll.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.stack.wire.ArpPacket;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Jazzer target for the whole receive path: the input is a sequence of frames (each prefixed by
 * a two-byte length) fed to an {@link EthernetInterface} that knows its peer; between frames the
 * fake clock moves by the length's top bit × 30 s so timers fire. Nothing may throw, and at the
 * end every buffer must be back in the pool. Seeds: {@code EthernetInterfaceFuzzTestInputs/
 * receiveFrames/}.
 */
class EthernetInterfaceFuzzTest {
    static final MacAddress PEER = MacAddress.parse("8a:6b:b3:2e:36:de");

    @FuzzTest
    void receiveFrames(byte[] data) {
        try (Host h = new Host(Host.config("2e:d4:b1:14:92:04", "192.0.2.2/24", "192.0.2.1"))) {
            h.nic.udp().bind(5353, (payload, src, sport, dst, dport, now) -> payload.release());
            h.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.REQUEST, PEER, Ipv4Address.parse("192.0.2.1"),
                    MacAddress.ZERO, Ipv4Address.parse("192.0.2.2")));
            int i = 0;
            while (i + 2 <= data.length) {
                int header = ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
                // A device never delivers more than the MTU plus the Ethernet header.
                int len = Math.min(Math.min(header & 0x7fff, 1514), data.length - i - 2);
                h.receive(java.util.Arrays.copyOfRange(data, i + 2, i + 2 + len));
                if ((header & 0x8000) != 0) {
                    h.advance(Duration.ofSeconds(30));
                }
                h.poll();
                i += 2 + len;
            }
            h.sent.clear();
            h.nic.close();
            assertEquals(0, h.pool.outstanding());
        }
    }
}
