package atoll.ssh.transport;

import atoll.ssh.wire.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sans-I/O framing of what the client sends (RFC 4253 §4.2 and §6): first the identification
 * line, then binary packets, fed in arbitrary pieces. Takes bytes with {@link #feed}; hands out one
 * complete, authenticated and decrypted payload at a time with {@link #nextPayload}.
 *
 * <pre>
 *   uint32    packet_length
 *   byte      padding_length
 *   byte[n1]  payload; n1 = packet_length - padding_length - 1
 *   byte[n2]  random padding; n2 = padding_length
 *   byte[m]   mac (tag); m = mac_length
 * </pre>
 */
public final class InboundFramer {
    /** RFC 4253 §4.2: the identification string is at most 255 characters including CR LF. */
    static final int MAX_VERSION_LINE = 255;
    /**
     * RFC 4253 §6.1: implementations MUST handle packets of 35000 octets in total and MAY take
     * larger ones; this is OpenSSH's own ceiling (PACKET_MAX_SIZE, 256 KiB).
     */
    public static final int MAX_PACKET_LENGTH = 256 * 1024;
    /** RFC 4253 §6: at least four octets of padding. */
    static final int MIN_PADDING = 4;

    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private PacketCipher cipher = PlainCipher.INSTANCE;
    private int sequence;
    /** packet_length of the packet at {@code start} once its first block was read, else -1. */
    private int pendingLength = -1;
    private long bytesIn;
    private long packetsIn;

    /** Copies {@code len} octets in; they are framed by the next calls. */
    public void feed(byte[] data, int off, int len) {
        if (end + len > buf.length) {
            int live = end - start;
            if (live + len > buf.length) {
                buf = Arrays.copyOf(Arrays.copyOfRange(buf, start, end), Math.max(buf.length * 2, live + len));
            } else {
                System.arraycopy(buf, start, buf, 0, live);
            }
            start = 0;
            end = live;
        }
        System.arraycopy(data, off, buf, end, len);
        end += len;
    }

    /**
     * The client's identification line without CR LF, or null until a whole line arrived.
     *
     * @throws SshDisconnect PROTOCOL_ERROR on a line longer than 255 octets
     */
    public String nextLine() throws SshDisconnect {
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                int stop = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                String line = new String(buf, start, stop - start, StandardCharsets.ISO_8859_1);
                bytesIn += i + 1 - start;
                start = i + 1;
                return line;
            }
            if (i - start >= MAX_VERSION_LINE) {
                break;
            }
        }
        if (end - start >= MAX_VERSION_LINE) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "identification line longer than 255 octets");
        }
        return null;
    }

    /**
     * The next packet's payload, or null until one is complete.
     *
     * @throws SshDisconnect PROTOCOL_ERROR on a bad length or padding, MAC_ERROR on a bad tag
     */
    public byte[] nextPayload() throws SshDisconnect {
        if (pendingLength < 0) {
            if (end - start < 4) {
                return null;
            }
            int length = cipher.packetLength(sequence, buf, start);
            // RFC 4253 §6: the packet is padding_length + payload + padding, at least 1 + 4 octets.
            if (length < 1 + MIN_PADDING || length > MAX_PACKET_LENGTH) {
                throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "bad packet length " + Integer.toUnsignedString(length));
            }
            int covered = cipher.lengthExcludedFromPadding() ? length : length + 4;
            // RFC 4253 §6: the total length MUST be a multiple of the cipher block size or 8.
            if (covered % cipher.blockSize() != 0) {
                throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "packet length " + length + " not a multiple of the block size");
            }
            pendingLength = length;
        }
        int total = 4 + pendingLength + cipher.tagLength();
        if (end - start < total) {
            if (total > buf.length - start) {
                grow(total);
            }
            return null;
        }
        cipher.open(sequence, buf, start, pendingLength);
        int padding = buf[start + 4] & 0xff;
        int payloadLength = pendingLength - 1 - padding;
        if (padding < MIN_PADDING || payloadLength < 1) {
            throw new SshDisconnect(DisconnectReason.PROTOCOL_ERROR, "bad padding length " + padding);
        }
        byte[] payload = Arrays.copyOfRange(buf, start + 5, start + 5 + payloadLength);
        start += total;
        if (start == end) {
            start = end = 0;
        }
        pendingLength = -1;
        sequence++;
        bytesIn += total;
        packetsIn++;
        return payload;
    }

    private void grow(int total) {
        int live = end - start;
        byte[] bigger = new byte[Math.max(total, buf.length * 2)];
        System.arraycopy(buf, start, bigger, 0, live);
        buf = bigger;
        start = 0;
        end = live;
    }

    /** Takes new keys for the packets after the client's NEWKEYS (RFC 4253 §7.3). */
    public void rekey(PacketCipher next, boolean resetSequence) {
        cipher = next;
        if (resetSequence) {
            sequence = 0;
        }
    }

    public int sequence() {
        return sequence;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long packetsIn() {
        return packetsIn;
    }

    /** Octets received and not yet framed. */
    public int buffered() {
        return end - start;
    }
}
