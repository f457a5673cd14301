package atoll.openvpn.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import atoll.openvpn.OpenVpnGateway;
import atoll.openvpn.crypto.StaticKey;
import atoll.openvpn.crypto.TlsCrypt;
import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.Opcode;
import atoll.testkit.Targets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running gateway (socket target, loopback) under a flood: 20 000 valid tls-crypt
 * HARD_RESET_CLIENT_V2 from fresh client session ids, 5 000 with a bad tag, 5 000 of garbage.
 * Nothing of it may create state: the resets are answered statelessly, the rest dropped and
 * counted, no buffer leaks, and the gateway still answers afterwards.
 */
class FloodTest {
    @TempDir Path tmp;
    Running running;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.devices() != null) {
            var pool = running.devices().network().bufferPool();
            assertEquals(0, running.stop(), () -> "clean stop: " + err);
            pool.assertNoLeaks();
        }
    }

    long metric(String name) {
        return running.devices().metrics().snapshot().getOrDefault(name, 0L);
    }

    @Test
    void resetsBadTagsAndGarbageLeaveNoState() throws Exception {
        OpenVpnGateway gateway = new OpenVpnGateway();
        running = Launcher.start(gateway, "test", new String[] {"--port=0", "--proto=udp", "--state.dir=" + tmp,
            "--log.level=warning"}, Targets.named("socket"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true));
        assertTrue(running.isRunning(), err::toString);
        StaticKey key = StaticKey.parse(Files.readString(tmp.resolve("tls-crypt.key")));
        TlsCrypt client = new TlsCrypt(key, TlsCrypt.Role.CLIENT);
        TlsCrypt stranger = new TlsCrypt(TlsCryptTestKeys.other(), TlsCrypt.Role.CLIENT);
        InetSocketAddress to = gateway.udpAddress();
        Random r = new Random(5);
        int replies = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(to);
            ch.configureBlocking(false);
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < 30_000; i++) {
                byte[] d;
                if (i % 6 == 4) {
                    d = stranger.wrap(reset(r.nextLong()), 1, 0);
                } else if (i % 6 == 5) {
                    d = new byte[1 + r.nextInt(200)];
                    r.nextBytes(d);
                    d[0] = (byte) Opcode.CONTROL_V1.firstOctet(0); // past the opcode check, into the tag check
                } else {
                    d = client.wrap(reset(r.nextLong()), 1, 0);
                }
                ch.write(ByteBuffer.wrap(d));
                while (ch.read(in.clear()) > 0) {
                    replies++;
                }
            }
            // Bounded wait (at most 10 s) until the gateway has taken everything that reached it.
            long seen = -1;
            for (int i = 0; i < 100 && !(metric("socket.udp.rx") == seen && seen == handled()); i++) {
                seen = metric("socket.udp.rx");
                Thread.sleep(100);
                while (ch.read(in.clear()) > 0) {
                    replies++;
                }
            }
        }
        assertEquals(0, metric("openvpn.sessions"), "no state for any of it");
        // Loopback may drop datagrams when the receive queue is full: count what arrived, not what was sent.
        long resets = metric("openvpn.resets.stateless");
        long badTags = metric("openvpn.drops.bad-tag");
        assertTrue(resets > 0 && badTags > 0, () -> "resets " + resets + ", bad tags " + badTags);
        assertEquals(metric("socket.udp.rx"), resets + badTags + metric("openvpn.drops.malformed"),
                "every datagram received was answered statelessly or dropped and counted");
        assertTrue(replies > 0, "the gateway answered");
    }

    long handled() {
        return metric("openvpn.resets.stateless") + metric("openvpn.drops.bad-tag") + metric("openvpn.drops.malformed");
    }

    static ControlPacket reset(long session) {
        return new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, session, new long[0], 0, 0, new byte[0]);
    }

    /** A key the gateway does not hold. */
    static final class TlsCryptTestKeys {
        static StaticKey other() {
            byte[] k = new byte[StaticKey.LENGTH];
            new Random(77).nextBytes(k);
            return StaticKey.of(k);
        }
    }
}
