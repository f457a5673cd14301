package atoll.ssh.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.entropy.Entropies;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer targets for the packet parser and the key exchange messages: whatever a client sends
 * after its identification line, {@link ServerTransport#receive} throws nothing; it either waits
 * for more or ends the connection with a reason, and no service message gets past it before keys.
 */
class PacketFuzzTest {
    static final byte[] HELLO = "SSH-2.0-fuzz\r\n".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    void plainPackets(byte[] data) {
        ServerTransport t = new ServerTransport(new TransportPolicy(List.of(KeyExchange.values()),
                TransportPolicy.SUPPORTED_CIPHERS, 1L << 30, Long.MAX_VALUE, "fuzz"), new HostKey(new byte[32]),
                Entropies.seeded(1), 0);
        boolean[] reached = new boolean[1];
        t.upperLayer(p -> reached[0] = true);
        t.receive(HELLO, 0, HELLO.length, 0);
        // Split the input in two at a point it chooses, to cover framing across reads.
        int cut = data.length == 0 ? 0 : (data[0] & 0xff) % (data.length + 1);
        t.receive(data, 0, cut, 1);
        t.receive(data, cut, data.length - cut, 2);
        assertTrue(!reached[0], "a service message passed before any key exchange");
        if (t.closed()) {
            assertTrue(t.closeReason() != null && t.closeDescription() != null);
        }
    }

    /** Framed payloads: each input is a sequence of (u8 length, payload) as plain packets. */
    @FuzzTest
    void kexMessages(byte[] data) {
        ServerTransport t = new ServerTransport(new TransportPolicy(List.of(KeyExchange.values()),
                TransportPolicy.SUPPORTED_CIPHERS, 1L << 30, Long.MAX_VALUE, "fuzz"), new HostKey(new byte[32]),
                Entropies.seeded(1), 0);
        t.upperLayer(p -> { });
        t.receive(HELLO, 0, HELLO.length, 0);
        OutboundPackets out = new OutboundPackets(Entropies.seeded(2));
        // Start with a valid KEXINIT so that the fuzzer reaches KEX_ECDH_INIT and NEWKEYS handling.
        byte[] init = TestClient.kexInit(List.of("curve25519-sha256", "mlkem768x25519-sha256", "sntrup761x25519-sha512"),
                "aes128-gcm@openssh.com");
        out.packet(init, 0, init.length);
        int i = 0;
        while (i < data.length) {
            int n = Math.min(data[i] & 0xff, data.length - i - 1);
            if (n > 0) {
                out.packet(data, i + 1, n);
            }
            i += 1 + n;
        }
        byte[] wire = out.drain();
        t.receive(wire, 0, wire.length, 1);
        if (t.closed()) {
            assertTrue(t.closeReason() != null);
        }
    }
}
