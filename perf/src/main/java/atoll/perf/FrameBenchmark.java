package atoll.perf;

import atoll.stack.wire.EthernetFrame;
import atoll.stack.wire.EthernetRepr;
import atoll.stack.wire.IpProtocol;
import atoll.stack.wire.Ipv4Header;
import atoll.stack.wire.Ipv4Repr;
import atoll.stack.wire.UdpHeader;
import atoll.stack.wire.UdpRepr;
import atoll.stack.wire.Verdict;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The direct stack's frame path for one UDP datagram in an Ethernet frame, in an off-heap segment
 * as a TAP read leaves it: {@code parse} checks the Ethernet, IPv4 and UDP headers with the
 * reusable views (IPv4 header checksum and the UDP checksum over the whole datagram verified), as
 * the receive path does; {@code build} writes the three headers in front of a payload already in
 * place (both checksums computed), as the transmit path does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FrameBenchmark {
    /** UDP payload octets: a DNS query's size, and the most a 1500-octet MTU carries. */
    @Param({"64", "1472"})
    public int payload;

    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;
    /** 192.0.2.1 and 192.0.2.2 (RFC 5737 documentation range). */
    static final int IP_A = 0xc0_00_02_01;
    static final int IP_B = 0xc0_00_02_02;

    private MemorySegment frame;
    private int frameLength;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final UdpHeader udp = new UdpHeader();

    @Setup
    public void setUp() {
        frameLength = EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH + UdpHeader.HEADER_LENGTH + payload;
        frame = Arena.ofAuto().allocate(frameLength, 8);
        byte[] data = new byte[payload];
        new Random(3).nextBytes(data);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, frame, frameLength - payload, payload);
        build();
        if (parse() != payload) {
            throw new IllegalStateException("the built frame does not parse back");
        }
    }

    @Benchmark
    public int parse() {
        if (ethernet.check(frame, 0, frameLength) != Verdict.OK || ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return -1;
        }
        if (ipv4.check(frame, ethernet.payloadOffset(), ethernet.payloadLength()) != Verdict.OK
                || ipv4.protocol() != IpProtocol.UDP) {
            return -2;
        }
        if (udp.check(frame, ipv4.payloadOffset(), ipv4.payloadLength(), ipv4.source(), ipv4.destination()) != Verdict.OK) {
            return -3;
        }
        return udp.payloadLength();
    }

    @Benchmark
    public MemorySegment build() {
        long ip = EthernetFrame.HEADER_LENGTH;
        long transport = ip + Ipv4Header.MIN_LENGTH;
        UdpRepr.emit(frame, transport, 5300, 53, payload, IP_A, IP_B);
        Ipv4Repr.emit(frame, ip, 0, 1, Ipv4Header.DF, Ipv4Header.DEFAULT_TTL, IpProtocol.UDP, IP_A, IP_B,
                UdpHeader.HEADER_LENGTH + payload);
        EthernetRepr.emit(frame, 0, MAC_B, MAC_A, EthernetFrame.TYPE_IPV4);
        return frame;
    }
}
