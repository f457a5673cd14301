package atoll.ssh.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.libos.entropy.Entropies;
import atoll.ssh.wire.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The inbound framing fed the same stream cut at every split point (DESIGN §9.12), for each
 * packet protection; and the errors that end a connection.
 */
class InboundFramerTest {
    static final byte[] KEY64 = new byte[64];
    static final byte[] IV = new byte[12];

    static {
        new Random(1).nextBytes(KEY64);
        new Random(2).nextBytes(IV);
    }

    record Protection(String name, Supplier<PacketCipher> sealer, Supplier<PacketCipher> opener) {}

    static List<Protection> protections() {
        return List.of(
                new Protection("none", () -> PlainCipher.INSTANCE, () -> PlainCipher.INSTANCE),
                new Protection("chacha", () -> new ChaChaPolyCipher(KEY64), () -> new ChaChaPolyCipher(KEY64)),
                new Protection("aes128-gcm", () -> new AesGcmCipher("aes128-gcm@openssh.com", Arrays.copyOf(KEY64, 16), IV, true),
                        () -> new AesGcmCipher("aes128-gcm@openssh.com", Arrays.copyOf(KEY64, 16), IV, false)),
                new Protection("aes256-gcm", () -> new AesGcmCipher("aes256-gcm@openssh.com", Arrays.copyOf(KEY64, 32), IV, true),
                        () -> new AesGcmCipher("aes256-gcm@openssh.com", Arrays.copyOf(KEY64, 32), IV, false)),
                new Protection("aes128-ctr+etm256", () -> ctr("aes128-ctr", AesCtrEtmCipher.HMAC_SHA2_256_ETM, true),
                        () -> ctr("aes128-ctr", AesCtrEtmCipher.HMAC_SHA2_256_ETM, false)),
                new Protection("aes256-ctr+etm512", () -> ctr("aes256-ctr", AesCtrEtmCipher.HMAC_SHA2_512_ETM, true),
                        () -> ctr("aes256-ctr", AesCtrEtmCipher.HMAC_SHA2_512_ETM, false)));
    }

    static PacketCipher ctr(String cipher, String mac, boolean encrypt) {
        return new AesCtrEtmCipher(cipher, mac, Arrays.copyOf(KEY64, AesCtrEtmCipher.keyLength(cipher)),
                Arrays.copyOf(IV, 16), Arrays.copyOfRange(KEY64, 0, AesCtrEtmCipher.macKeyLength(mac)), encrypt);
    }

    static List<byte[]> payloads() {
        Random r = new Random(4253);
        List<byte[]> p = new ArrayList<>();
        for (int len : new int[] {1, 5, 15, 16, 17, 100, 1000}) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            p.add(b);
        }
        return p;
    }

    static byte[] stream(Protection p, List<byte[]> payloads) {
        OutboundPackets out = new OutboundPackets(Entropies.seeded(7));
        out.raw("SSH-2.0-split\r\n".getBytes(StandardCharsets.US_ASCII));
        out.rekey(p.sealer().get(), false);
        for (byte[] b : payloads) {
            out.packet(b, 0, b.length);
        }
        return out.drain();
    }

    static int lastBuffered;

    static List<byte[]> frame(Protection p, byte[] wire, int... cuts) throws SshDisconnect {
        InboundFramer in = new InboundFramer();
        in.rekey(p.opener().get(), false);
        List<byte[]> got = new ArrayList<>();
        String line = null;
        int from = 0;
        int[] bounds = Arrays.copyOf(cuts, cuts.length + 1);
        bounds[cuts.length] = wire.length;
        for (int to : bounds) {
            in.feed(wire, from, to - from);
            from = to;
            if (line == null) {
                line = in.nextLine();
                if (line == null) {
                    continue;
                }
            }
            byte[] payload;
            while ((payload = in.nextPayload()) != null) {
                got.add(payload);
            }
        }
        assertEquals("SSH-2.0-split", line);
        lastBuffered = in.buffered();
        return got;
    }

    @Test
    void everySplitPointGivesTheSamePayloads() throws Exception {
        List<byte[]> payloads = payloads();
        for (Protection p : protections()) {
            byte[] wire = stream(p, payloads);
            for (int cut = 0; cut <= wire.length; cut++) {
                assertPayloads(payloads, frame(p, wire, cut), p.name() + " cut at " + cut);
            }
        }
    }

    @Test
    void octetByOctet() throws Exception {
        List<byte[]> payloads = payloads();
        for (Protection p : protections()) {
            byte[] wire = stream(p, payloads);
            int[] cuts = new int[wire.length - 1];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = i + 1;
            }
            assertPayloads(payloads, frame(p, wire, cuts), p.name() + " octet by octet");
        }
    }

    static void assertPayloads(List<byte[]> want, List<byte[]> got, String where) {
        assertEquals(0, lastBuffered, where + ": octets left over");
        assertEquals(want.size(), got.size(), where);
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), where + " payload " + i);
        }
    }

    @Test
    void anyFlippedBitOfAProtectedPacketIsAMacError() throws Exception {
        for (Protection p : protections().subList(1, 4)) {
            byte[] wire = stream(p, List.of(new byte[] {5, 0, 0, 0, 12, 's', 's', 'h'}));
            int start = "SSH-2.0-split\r\n".length();
            for (int i = start; i < wire.length; i++) {
                byte[] bad = wire.clone();
                bad[i] ^= 0x10;
                try {
                    List<byte[]> got = frame(p, bad);
                    // A flipped length may ask for more octets than ever come: nothing is delivered.
                    assertEquals(0, got.size(), p.name() + " flip at " + i + " delivered a payload");
                } catch (SshDisconnect e) {
                    // A flipped length field may show first as a bad length; anything else is a MAC error.
                    if (e.reason != DisconnectReason.MAC_ERROR) {
                        assertEquals(DisconnectReason.PROTOCOL_ERROR, e.reason, p.name() + " " + e.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void badLengthAndPadding() {
        InboundFramer in = new InboundFramer();
        // RFC 4253 §6: packet_length 4 cannot hold padding_length and 4 octets of padding.
        in.feed(new byte[] {0, 0, 0, 4, 3, 0, 0, 0}, 0, 8);
        assertEquals(DisconnectReason.PROTOCOL_ERROR, assertThrows(SshDisconnect.class, in::nextPayload).reason);
        InboundFramer padding = new InboundFramer();
        // packet_length 12, padding_length 2: less than the 4 octets RFC 4253 §6 demands.
        padding.feed(new byte[] {0, 0, 0, 12, 2, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0}, 0, 16);
        assertEquals(DisconnectReason.PROTOCOL_ERROR, assertThrows(SshDisconnect.class, padding::nextPayload).reason);
        InboundFramer misaligned = new InboundFramer();
        misaligned.feed(new byte[] {0, 0, 0, 13, 4}, 0, 5);
        assertEquals(DisconnectReason.PROTOCOL_ERROR, assertThrows(SshDisconnect.class, misaligned::nextPayload).reason);
        InboundFramer big = new InboundFramer();
        big.feed(new byte[] {0x7f, 0, 0, 4}, 0, 4);
        assertEquals(DisconnectReason.PROTOCOL_ERROR, assertThrows(SshDisconnect.class, big::nextPayload).reason);
    }

    @Test
    void identificationLineTooLong() throws Exception {
        InboundFramer in = new InboundFramer();
        byte[] line = new byte[300];
        Arrays.fill(line, (byte) 'a');
        in.feed(line, 0, 254);
        assertNull(in.nextLine());
        in.feed(line, 254, 46);
        assertEquals(DisconnectReason.PROTOCOL_ERROR, assertThrows(SshDisconnect.class, in::nextLine).reason);
    }
}
