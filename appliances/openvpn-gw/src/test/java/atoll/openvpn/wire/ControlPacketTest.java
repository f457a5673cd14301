package atoll.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ControlPacketTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void goldenBytesOfAServerResetAckingTheClientsReset() throws Exception {
        // P_CONTROL_HARD_RESET_SERVER_V2 (8) key id 0, our session, ack [0] for the client's
        // session, message id 0, no payload: laid out by hand from OpenVPN's ssl_pkt.c format.
        byte[] golden = HEX.parseHex("40" + "1111111111111111" + "01" + "00000000" + "2222222222222222" + "00000000");
        ControlPacket p = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, 0x1111111111111111L,
                new long[] {0}, 0x2222222222222222L, 0, new byte[0]);
        assertArrayEquals(golden, p.toBytes());
        assertEquals(p, ControlPacket.parse(golden));
    }

    @Test
    void goldenBytesOfAnAckAndAControlPacketWithoutAcks() throws Exception {
        byte[] ack = HEX.parseHex("29" + "0102030405060708" + "02" + "00000003" + "00000004" + "0a0b0c0d0e0f1011");
        ControlPacket a = ControlPacket.parse(ack);
        assertEquals(Opcode.ACK_V1, a.opcode());
        assertEquals(1, a.keyId());
        assertArrayEquals(new long[] {3, 4}, a.acks());
        assertEquals(0x0a0b0c0d0e0f1011L, a.remoteSessionId());
        assertEquals(-1, a.messageId());
        byte[] control = HEX.parseHex("20" + "0102030405060708" + "00" + "ffffffff" + "160301");
        ControlPacket c = ControlPacket.parse(control);
        assertEquals(Opcode.CONTROL_V1, c.opcode());
        assertEquals(0xffffffffL, c.messageId());
        assertArrayEquals(HEX.parseHex("160301"), c.payload());
        assertArrayEquals(control, c.toBytes());
    }

    @Test
    void everyTruncationParsesOrThrowsTheDeclaredException() throws Exception {
        byte[] whole = new ControlPacket(Opcode.CONTROL_V1, 2, 7, new long[] {1, 2, 3}, 9, 5, new byte[] {1, 2, 3}).toBytes();
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(whole, n);
            int len = n;
            // Header (9) + ack len (1) + 3 acks (12) + remote sid (8) + message id (4) = 34: shorter fails.
            if (len < 34) {
                assertThrows(PacketFormatException.class, () -> ControlPacket.parse(cut), "cut at " + len);
            } else {
                assertEquals(len - 34, ControlPacket.parse(cut).payloadLength());
            }
        }
    }

    @Test
    void refusesWhatOpenVpnRefuses() {
        // Nine acks: more than RELIABLE_ACK_SIZE.
        assertThrows(PacketFormatException.class,
                () -> ControlPacket.parse(HEX.parseHex("20" + "0000000000000000" + "09" + "00".repeat(36 + 8 + 4))));
        // A data opcode is not a control packet; opcode 0 and 12..31 are nothing.
        assertThrows(PacketFormatException.class, () -> ControlPacket.parse(HEX.parseHex("48" + "00".repeat(20))));
        assertThrows(PacketFormatException.class, () -> ControlPacket.parse(HEX.parseHex("00" + "00".repeat(20))));
        assertThrows(PacketFormatException.class, () -> ControlPacket.parse(HEX.parseHex("60" + "00".repeat(20))));
        // An ACK with trailing octets.
        assertThrows(PacketFormatException.class,
                () -> ControlPacket.parse(HEX.parseHex("28" + "0000000000000000" + "00" + "00")));
    }

    @Test
    void opcodeOctet() {
        assertEquals(Opcode.DATA_V2, Opcode.ofFirstOctet(0x48));
        assertEquals(Opcode.CONTROL_HARD_RESET_CLIENT_V2, Opcode.ofFirstOctet(0x38));
        assertEquals(Opcode.CONTROL_WKC_V1, Opcode.ofFirstOctet(0x5f));
        assertEquals(7, Opcode.keyIdOf(0x5f));
        assertNull(Opcode.ofFirstOctet(0x00));
        assertNull(Opcode.ofFirstOctet(0xf8));
        assertEquals(0x3a, Opcode.CONTROL_HARD_RESET_CLIENT_V2.firstOctet(2));
    }

    @Test
    void seededRoundTrips() throws Exception {
        var r = new java.util.Random(11);
        Opcode[] control = {Opcode.CONTROL_V1, Opcode.ACK_V1, Opcode.CONTROL_HARD_RESET_CLIENT_V2,
            Opcode.CONTROL_HARD_RESET_SERVER_V2, Opcode.CONTROL_SOFT_RESET_V1, Opcode.CONTROL_WKC_V1};
        for (int i = 0; i < 5000; i++) {
            Opcode op = control[r.nextInt(control.length)];
            long[] acks = new long[r.nextInt(ControlPacket.MAX_ACKS + 1)];
            for (int k = 0; k < acks.length; k++) {
                acks[k] = r.nextLong() & 0xffffffffL;
            }
            byte[] payload = new byte[op == Opcode.ACK_V1 ? 0 : r.nextInt(300)];
            r.nextBytes(payload);
            ControlPacket p = new ControlPacket(op, r.nextInt(8), r.nextLong(), acks, r.nextLong(),
                    op.hasMessagePacketId() ? r.nextLong() & 0xffffffffL : -1, payload);
            assertEquals(p, ControlPacket.parse(p.toBytes()));
        }
    }
}
