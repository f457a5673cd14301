package atoll.perf;

import atoll.libos.entropy.Entropies;
import atoll.ssh.transport.AesCtrEtmCipher;
import atoll.ssh.transport.AesGcmCipher;
import atoll.ssh.transport.ChaChaPolyCipher;
import atoll.ssh.transport.InboundFramer;
import atoll.ssh.transport.OutboundPackets;
import atoll.ssh.transport.PacketCipher;
import atoll.ssh.transport.SshDisconnect;
import java.util.Arrays;
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
 * The SSH bastion's packet path: {@code seal} protects one channel-data-sized payload into the
 * outbound buffer (padding, encryption, tag); {@code sealAndOpen} also frames, authenticates and
 * decrypts it on the inbound side, in lockstep so the sequence numbers and nonces match. Run with
 * {@code -prof gc} for the allocation per packet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SshPacketBenchmark {
    @Param({"chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
            "aes128-ctr+hmac-sha2-256-etm@openssh.com", "aes256-ctr+hmac-sha2-512-etm@openssh.com"})
    public String cipher;

    /** 32 KiB: OpenSSH's channel maximum packet, the size a bulk transfer moves. */
    @Param({"32768", "1024"})
    public int payloadSize;

    private OutboundPackets out;
    private InboundFramer in;
    private byte[] payload;

    static PacketCipher make(String name, boolean encrypt) {
        byte[] key = new byte[64];
        new Random(1).nextBytes(key);
        byte[] iv = Arrays.copyOf(key, 12);
        return switch (name) {
            case ChaChaPolyCipher.NAME -> new ChaChaPolyCipher(key);
            case "aes128-gcm@openssh.com" -> new AesGcmCipher(name, Arrays.copyOf(key, 16), iv, encrypt);
            case "aes128-ctr+hmac-sha2-256-etm@openssh.com" -> new AesCtrEtmCipher("aes128-ctr",
                    AesCtrEtmCipher.HMAC_SHA2_256_ETM, Arrays.copyOf(key, 16), Arrays.copyOf(key, 16), Arrays.copyOf(key, 32), encrypt);
            case "aes256-ctr+hmac-sha2-512-etm@openssh.com" -> new AesCtrEtmCipher("aes256-ctr",
                    AesCtrEtmCipher.HMAC_SHA2_512_ETM, Arrays.copyOf(key, 32), Arrays.copyOf(key, 16), key, encrypt);
            default -> new AesGcmCipher(name, Arrays.copyOf(key, 32), iv, encrypt);
        };
    }

    @Setup
    public void setUp() {
        out = new OutboundPackets(Entropies.seeded(1));
        out.rekey(make(cipher, true), true);
        in = new InboundFramer();
        in.rekey(make(cipher, false), true);
        payload = new byte[payloadSize];
        new Random(2).nextBytes(payload);
    }

    @Benchmark
    public int seal() {
        out.clear();
        out.packet(payload, 0, payload.length);
        return out.length();
    }

    @Benchmark
    public byte[] sealAndOpen() throws SshDisconnect {
        out.clear();
        out.packet(payload, 0, payload.length);
        in.feed(out.array(), 0, out.length());
        return in.nextPayload();
    }
}
