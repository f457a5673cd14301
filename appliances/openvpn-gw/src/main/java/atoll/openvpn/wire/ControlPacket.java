package atoll.openvpn.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A control-channel packet, as it is once any tls-auth/tls-crypt wrapping is removed (OpenVPN 2.6
 * {@code ssl_pkt.c}, {@code reliable.c}):
 *
 * <pre>
 *  header                         body (what tls-crypt encrypts)
 * +--------+-----------------+   +-------+------------------+------------------+------------+---------+
 * | op|kid | session id (8)  |   | n (1) | n x acked id (4) | remote sid (8)   | msg id (4) | payload |
 * +--------+-----------------+   +-------+------------------+ only when n > 0  + not in ACK +---------+
 * </pre>
 *
 * All integers are big-endian. Arrays are copied in and never exposed for writing.
 *
 * @param opcode a control opcode (never a data one)
 * @param keyId 0..7
 * @param sessionId the sender's session id
 * @param acks the receiver's message ids this packet acknowledges (at most {@link #MAX_ACKS})
 * @param remoteSessionId the session id the acknowledgements refer to; meaningful only with acks
 * @param messageId this packet's message packet id, or -1 for {@link Opcode#ACK_V1}
 * @param payload the TLS bytes (or reset payload) carried
 */
public record ControlPacket(Opcode opcode, int keyId, long sessionId, long[] acks, long remoteSessionId,
        long messageId, byte[] payload) {
    /** Octets of opcode plus session id. */
    public static final int HEADER_LENGTH = 1 + 8;
    /** OpenVPN's {@code RELIABLE_ACK_SIZE}: the largest ack array it sends or accepts. */
    public static final int MAX_ACKS = 8;

    public ControlPacket {
        if (opcode.isData()) {
            throw new IllegalArgumentException("data opcode in a control packet: " + opcode);
        }
        if (acks.length > MAX_ACKS) {
            throw new IllegalArgumentException("more than " + MAX_ACKS + " acks");
        }
        if ((messageId < 0) == opcode.hasMessagePacketId()) {
            throw new IllegalArgumentException(opcode + " with message id " + messageId);
        }
        acks = acks.clone();
        payload = payload.clone();
    }

    @Override
    public long[] acks() {
        return acks.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int ackCount() {
        return acks.length;
    }

    public long ack(int i) {
        return acks[i];
    }

    public int payloadLength() {
        return payload.length;
    }

    /** Octets of the body (everything after the session id). */
    public int bodyLength() {
        return 1 + 4 * acks.length + (acks.length > 0 ? 8 : 0) + (messageId >= 0 ? 4 : 0) + payload.length;
    }

    /** Writes opcode/key id and session id. */
    public void writeHeader(ByteBuffer out) {
        out.put((byte) opcode.firstOctet(keyId)).putLong(sessionId);
    }

    /** Writes the body: ack array, remote session id, message id, payload. */
    public void writeBody(ByteBuffer out) {
        out.put((byte) acks.length);
        for (long a : acks) {
            out.putInt((int) a);
        }
        if (acks.length > 0) {
            out.putLong(remoteSessionId);
        }
        if (messageId >= 0) {
            out.putInt((int) messageId);
        }
        out.put(payload);
    }

    /** The packet unwrapped (no tls-auth/tls-crypt): header then body. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + bodyLength());
        writeHeader(out);
        writeBody(out);
        return out.array();
    }

    public byte[] bodyBytes() {
        ByteBuffer out = ByteBuffer.allocate(bodyLength());
        writeBody(out);
        return out.array();
    }

    /** Parses an unwrapped packet. */
    public static ControlPacket parse(byte[] packet) throws PacketFormatException {
        if (packet.length < HEADER_LENGTH) {
            throw new PacketFormatException("shorter than a control header: " + packet.length);
        }
        ByteBuffer in = ByteBuffer.wrap(packet);
        int first = in.get() & 0xff;
        long session = in.getLong();
        return parseBody(first, session, in);
    }

    /**
     * Parses a body whose header was read already (a tls-crypt packet's header is outside the
     * encryption).
     */
    public static ControlPacket parseBody(int firstOctet, long sessionId, ByteBuffer in) throws PacketFormatException {
        Opcode op = Opcode.ofFirstOctet(firstOctet);
        if (op == null || op.isData()) {
            throw new PacketFormatException("not a control opcode: " + (firstOctet >>> Opcode.OPCODE_SHIFT));
        }
        if (!in.hasRemaining()) {
            throw new PacketFormatException("no ack array length");
        }
        int n = in.get() & 0xff;
        if (n > MAX_ACKS) {
            throw new PacketFormatException("ack array of " + n + " (at most " + MAX_ACKS + ")");
        }
        int need = 4 * n + (n > 0 ? 8 : 0) + (op.hasMessagePacketId() ? 4 : 0);
        if (in.remaining() < need) {
            throw new PacketFormatException("truncated: " + in.remaining() + " octets for " + need);
        }
        long[] acks = new long[n];
        for (int i = 0; i < n; i++) {
            acks[i] = in.getInt() & 0xffffffffL;
        }
        long remote = n > 0 ? in.getLong() : 0;
        long messageId = op.hasMessagePacketId() ? in.getInt() & 0xffffffffL : -1;
        if (op == Opcode.ACK_V1 && in.hasRemaining()) {
            throw new PacketFormatException("P_ACK_V1 with " + in.remaining() + " trailing octets");
        }
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        return new ControlPacket(op, Opcode.keyIdOf(firstOctet), sessionId, acks, remote, messageId, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlPacket p && p.opcode == opcode && p.keyId == keyId && p.sessionId == sessionId
                && Arrays.equals(p.acks, acks) && (acks.length == 0 || p.remoteSessionId == remoteSessionId)
                && p.messageId == messageId && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sessionId) * 31 + Long.hashCode(messageId);
    }

    @Override
    public String toString() {
        return opcode + "/" + keyId + " sid=" + Long.toHexString(sessionId) + " acks=" + Arrays.toString(acks)
                + (acks.length > 0 ? " rsid=" + Long.toHexString(remoteSessionId) : "") + " id=" + messageId
                + " payload=" + payload.length;
    }
}
