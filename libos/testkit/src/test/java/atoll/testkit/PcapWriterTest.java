package atoll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.entropy.Entropies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Captures written by the link are read back by tcpdump (the real libpcap reader): every frame
 * decoded as the Ethernet/IPv4/UDP packet it is, with the fake clock's time stamps.
 */
class PcapWriterTest {
    @TempDir Path tmp;

    /** Ethernet II + IPv4 + UDP, 192.0.2.1:1000 -> 192.0.2.2:7777, payload = 4 bytes of {@code n}. */
    static byte[] udpFrame(int n) {
        byte[] f = new byte[14 + 20 + 8 + 4];
        // Ethernet II (IEEE 802.3 §3.2.6 "type" use): dst, src (locally administered), EtherType IPv4.
        byte[] mac = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00};
        System.arraycopy(mac, 0, f, 0, 14);
        int ip = 14;
        f[ip] = 0x45; // version 4, IHL 5 (RFC 791 §3.1)
        put16(f, ip + 2, 20 + 8 + 4); // total length
        put16(f, ip + 4, n); // identification
        f[ip + 8] = 64; // TTL
        f[ip + 9] = 17; // protocol UDP (RFC 768)
        byte[] addrs = {(byte) 192, 0, 2, 1, (byte) 192, 0, 2, 2};
        System.arraycopy(addrs, 0, f, ip + 12, 8);
        put16(f, ip + 10, checksum(f, ip, 20));
        int udp = ip + 20;
        put16(f, udp, 1000);
        put16(f, udp + 2, 7777); // no dissector on this port: tcpdump prints plain UDP
        put16(f, udp + 4, 8 + 4);
        // UDP checksum 0: "no checksum" (RFC 768), valid over IPv4.
        f[udp + 8] = (byte) (n >>> 24);
        f[udp + 9] = (byte) (n >>> 16);
        f[udp + 10] = (byte) (n >>> 8);
        f[udp + 11] = (byte) n;
        return f;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** RFC 1071 Internet checksum. */
    private static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += (b[off + i] & 0xFF) << 8 | (b[off + i + 1] & 0xFF);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    @ParameterizedTest
    @EnumSource(PcapWriter.Resolution.class)
    void tcpdumpReadsWhatTheLinkCaptured(PcapWriter.Resolution resolution) throws Exception {
        Path file = tmp.resolve("link-" + resolution + ".pcap");
        Instant epoch = Instant.parse("2026-11-28T12:00:00Z");
        FakeClock clock = new FakeClock(epoch);
        BufferPool pool = new BufferPool(256, 0, 64);
        int frames = 5;
        try (PcapWriter pcap = PcapWriter.create(file, resolution)) {
            Link link = Link.builder(clock, pool, Entropies.seeded(3)).delay(Duration.ofNanos(1_234_567)).pcap(pcap)
                    .build();
            Link.Port a = link.attach("a", (p, f) -> f.release());
            link.attach("b", (p, f) -> f.release());
            for (int i = 0; i < frames; i++) {
                PooledBuffer f = pool.acquire();
                byte[] bytes = udpFrame(i);
                f.put(bytes, 0, bytes.length);
                a.send(f);
                clock.advance(Duration.ofMillis(1));
            }
            clock.advance(Duration.ofSeconds(1));
            assertEquals(frames, pcap.records());
        }
        pool.assertNoLeaks();

        List<String> lines = tcpdump(file, resolution);
        assertEquals(frames, lines.size(), () -> "one line per frame: " + lines);
        for (int i = 0; i < frames; i++) {
            String line = lines.get(i);
            assertTrue(line.contains("192.0.2.1.1000 > 192.0.2.2.7777: UDP, length 4"), line);
            long nanos = epoch.getEpochSecond() * 1_000_000_000L + i * 1_000_000L + 1_234_567;
            String stamp = resolution == PcapWriter.Resolution.NANOSECONDS
                    ? String.format("%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L)
                    : String.format("%d.%06d", nanos / 1_000_000_000L, nanos % 1_000_000_000L / 1_000);
            assertTrue(line.startsWith(stamp + " "), () -> "time stamp " + stamp + " in " + line);
        }
    }

    private static List<String> tcpdump(Path file, PcapWriter.Resolution resolution) throws Exception {
        String tcpdump = null;
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "tcpdump"))) {
                tcpdump = Path.of(dir, "tcpdump").toString();
            }
        }
        if (tcpdump == null) {
            fail("tcpdump not found: install the Debian package tcpdump");
        }
        List<String> cmd = new ArrayList<>(List.of(tcpdump, "-r", file.toString(), "-nn", "-tt"));
        if (resolution == PcapWriter.Resolution.NANOSECONDS) {
            cmd.add("--time-stamp-precision=nano");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tcpdump did not finish");
        }
        assertEquals(0, p.exitValue(), () -> "tcpdump -r failed on " + file + ":\n" + out + hexHead(file));
        return out.lines().toList();
    }

    private static String hexHead(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            return java.util.HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(64, b.length));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
