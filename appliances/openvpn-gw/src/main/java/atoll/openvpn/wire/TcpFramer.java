package atoll.openvpn.wire;

import java.util.Arrays;

/**
 * OpenVPN's framing over TCP: each packet is preceded by its length as a 16-bit big-endian
 * integer (OpenVPN's {@code socket.c} stream buffer; the same packets as over UDP otherwise).
 *
 * <pre>
 * +----------------+---------------------------+----------------+-----
 * | length (2)     | packet (length octets)    | length (2)     | ...
 * +----------------+---------------------------+----------------+-----
 * </pre>
 *
 * Sans-I/O: {@link #feed} takes whatever the stream delivered, in any cut; {@link #next} returns
 * each whole packet once. At most one packet is buffered, so memory per connection is bounded by
 * {@code maxPacket}. Not thread-safe.
 */
public final class TcpFramer {
    /** What {@link #next} found. */
    public sealed interface Frame {}

    /** A whole packet. */
    public record Packet(byte[] octets) implements Frame {}

    /** Not enough octets yet. */
    public record NeedMore() implements Frame {}

    /**
     * A length of 0 or above the bound: the stream is out of step and must be closed (OpenVPN
     * closes the connection on "packet length out of bound" too).
     */
    public record Broken(int length) implements Frame {}

    private static final NeedMore NEED_MORE = new NeedMore();
    private final int maxPacket;
    private final byte[] buffer;
    private int filled;
    private boolean broken;

    /** @param maxPacket the largest packet accepted, 1..65535 */
    public TcpFramer(int maxPacket) {
        if (maxPacket < 1 || maxPacket > 0xffff) {
            throw new IllegalArgumentException("maxPacket " + maxPacket);
        }
        this.maxPacket = maxPacket;
        this.buffer = new byte[2 + maxPacket];
    }

    /**
     * Takes up to {@code length} octets; returns how many it took (it stops at the end of the
     * buffered packet, so call {@link #next} and feed the rest again).
     */
    public int feed(byte[] bytes, int offset, int length) {
        if (broken) {
            return 0;
        }
        int want = filled < 2 ? 2 - filled : 2 + declared() - filled;
        int take = Math.min(want, length);
        if (filled >= 2 && (declared() == 0 || declared() > maxPacket)) {
            return 0;
        }
        System.arraycopy(bytes, offset, buffer, filled, take);
        filled += take;
        if (take < length && filled == 2 && declared() > 0 && declared() <= maxPacket) {
            return take + feed(bytes, offset + take, length - take);
        }
        return take;
    }

    private int declared() {
        return ((buffer[0] & 0xff) << 8) | (buffer[1] & 0xff);
    }

    /** The next whole packet, {@link NeedMore}, or {@link Broken} (then forever). */
    public Frame next() {
        if (filled < 2) {
            return NEED_MORE;
        }
        int n = declared();
        if (broken || n == 0 || n > maxPacket) {
            broken = true;
            return new Broken(n);
        }
        if (filled < 2 + n) {
            return NEED_MORE;
        }
        byte[] p = Arrays.copyOfRange(buffer, 2, 2 + n);
        filled = 0;
        return new Packet(p);
    }

    /** Frames one packet for sending. */
    public static byte[] frame(byte[] packet) {
        if (packet.length < 1 || packet.length > 0xffff) {
            throw new IllegalArgumentException("packet of " + packet.length + " octets cannot be framed");
        }
        byte[] out = new byte[2 + packet.length];
        out[0] = (byte) (packet.length >>> 8);
        out[1] = (byte) packet.length;
        System.arraycopy(packet, 0, out, 2, packet.length);
        return out;
    }
}
