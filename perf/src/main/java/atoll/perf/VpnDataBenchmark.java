package atoll.perf;

import atoll.openvpn.data.DataChannel;
import atoll.openvpn.data.DataCipher;
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
 * The OpenVPN gateway's data-channel packet (DATA_V2, AEAD): {@code seal} protects one
 * tunnelled IPv4 packet; {@code sealAndOpen} also opens it on a second channel holding the
 * mirrored keys (replay window check, tag verification, decryption): the path every tunnelled
 * packet takes through the gateway, without the tunnel stack and relay around it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class VpnDataBenchmark {
    @Param({"AES_256_GCM", "CHACHA20_POLY1305"})
    public DataCipher cipher;

    /** A full-size tunnelled IPv4 packet (OpenVPN's default tun MTU is 1500). */
    @Param({"1400"})
    public int packetSize;

    private DataChannel sender;
    private DataChannel receiver;
    private byte[] packet;

    @Setup
    public void setUp() {
        Random r = new Random(4);
        byte[] k1 = new byte[cipher.keyLength()], k2 = new byte[cipher.keyLength()];
        byte[] iv1 = new byte[DataCipher.IMPLICIT_IV_LENGTH], iv2 = new byte[DataCipher.IMPLICIT_IV_LENGTH];
        r.nextBytes(k1);
        r.nextBytes(k2);
        r.nextBytes(iv1);
        r.nextBytes(iv2);
        sender = new DataChannel(cipher, 0, 7, k1, iv1, k2, iv2);
        receiver = new DataChannel(cipher, 0, 7, k2, iv2, k1, iv1);
        packet = new byte[packetSize];
        r.nextBytes(packet);
        if (!(sealAndOpen() instanceof DataChannel.Plaintext)) {
            throw new IllegalStateException("a sealed packet did not open");
        }
    }

    @Benchmark
    public byte[] seal() {
        return sender.seal(packet, 0, packet.length);
    }

    @Benchmark
    public DataChannel.Opened sealAndOpen() {
        byte[] sealed = sender.seal(packet, 0, packet.length);
        return receiver.open(sealed, 0, sealed.length);
    }
}
