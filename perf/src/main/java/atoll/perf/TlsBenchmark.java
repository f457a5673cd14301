package atoll.perf;

import atoll.libos.entropy.Entropies;
import atoll.libos.store.DirectoryStore;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import atoll.tls.DevelopmentCertificates;
import atoll.tls.TlsCryptoChoice;
import atoll.tls.TlsServer;
import atoll.tls.TlsServerEngine;
import atoll.tls.TlsSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
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
 * The TLS server engine (libos/tls) without I/O, with the JDK's crypto (the default) against
 * Bouncy Castle's pure-Java crypto:
 *
 * <ul>
 *   <li>{@code record16k}: the server encrypts 16 KiB of application data (one TLS 1.3 record,
 *       AES-128-GCM) and hands out the ciphertext — the per-record cost of sending a file;
 *   <li>{@code handshake}: a whole TLS 1.3 handshake, server and an in-memory Bouncy Castle client
 *       (pure-Java crypto, the same for every parameter), ECDSA P-256 certificate, with the given
 *       key-exchange group. The client's share of the work is in the number too.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TlsBenchmark {
    @Param({"JDK", "BOUNCY_CASTLE"})
    public TlsCryptoChoice crypto;

    @Param({"x25519", "X25519MLKEM768"})
    public String group;

    private TlsServer server;
    private TlsServerEngine established;
    private final byte[] record = new byte[16_384];
    private final ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    private final byte[] shuttle = new byte[1 << 16];

    static final Clock CLOCK = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }
    };

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("atoll-tls-bench");
        var dev = DevelopmentCertificates.loadOrCreate(DirectoryStore.open(dir), Entropies.seeded(1), CLOCK.now(),
                List.of());
        server = new TlsServer(new TlsSettings(List.of(dev.identity()), List.of("http/1.1"), 0, Duration.ofHours(1)),
                Entropies.secure(), CLOCK, crypto);
        established = handshake();
        new SecureRandom().nextBytes(record);
    }

    @Benchmark
    public int record16k() throws IOException {
        established.send(record, 0, record.length);
        int n = 0;
        while (established.pendingOutput() > 0) {
            sink.clear();
            n += established.takeOutput(sink, sink.remaining());
        }
        return n;
    }

    @Benchmark
    public TlsServerEngine handshake() throws IOException {
        int g = group.equals("x25519") ? NamedGroup.x25519 : NamedGroup.X25519MLKEM768;
        TlsServerEngine engine = server.newEngine();
        TlsClientProtocol client = new TlsClientProtocol();
        client.connect(new DefaultTlsClient(new BcTlsCrypto(new SecureRandom())) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv13.only();
            }

            @Override
            protected Vector getSupportedGroups(Vector roles) {
                Vector<Integer> v = new Vector<>();
                v.add(g);
                return v;
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new ServerOnlyTlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate c) {}
                };
            }
        });
        for (int round = 0; round < 10 && !(client.isConnected() && !engine.handshaking()); round++) {
            int n;
            while ((n = client.readOutput(shuttle, 0, shuttle.length)) > 0) {
                engine.receive(shuttle, 0, n);
            }
            while (engine.pendingOutput() > 0) {
                sink.clear();
                int m = engine.takeOutput(sink, sink.remaining());
                client.offerInput(sink.array(), 0, m);
            }
        }
        if (engine.handshaking()) {
            throw new IllegalStateException("handshake did not complete");
        }
        return engine;
    }
}
