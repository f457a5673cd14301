package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import java.util.Arrays;

/**
 * Builds protected binary packets (RFC 4253 §6) for the client into one growing output array the
 * caller drains and writes.
 */
public final class OutboundPackets {
    private final Entropy entropy;
    private byte[] out = new byte[16384];
    private int length;
    private PacketCipher cipher = PlainCipher.INSTANCE;
    private int sequence;
    private long bytesOut;
    /** One reusable array per padding length (at most block size + 3 = 19 octets), filled per packet. */
    private final byte[][] paddings = new byte[256][];

    public OutboundPackets(Entropy entropy) {
        this.entropy = entropy;
    }

    /** Raw octets before the first packet (the identification line). */
    public void raw(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, out, length, bytes.length);
        length += bytes.length;
        bytesOut += bytes.length;
    }

    private void room(int n) {
        if (length + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + n));
        }
    }

    public void packet(byte[] payload, int off, int len) {
        int block = cipher.blockSize();
        int covered = 1 + len + (cipher.lengthExcludedFromPadding() ? 0 : 4);
        // RFC 4253 §6: at least 4 octets of padding, the total a multiple of the block size.
        int pad = block - (covered % block);
        if (pad < InboundFramer.MIN_PADDING) {
            pad += block;
        }
        int packetLength = 1 + len + pad;
        int total = 4 + packetLength + cipher.tagLength();
        room(total);
        int at = length;
        Bytes.putInt(out, at, packetLength);
        out[at + 4] = (byte) pad;
        System.arraycopy(payload, off, out, at + 5, len);
        // RFC 4253 §6: the padding SHOULD be random.
        byte[] padding = paddings[pad];
        if (padding == null) {
            padding = paddings[pad] = new byte[pad];
        }
        entropy.nextBytes(padding);
        System.arraycopy(padding, 0, out, at + 5 + len, pad);
        cipher.seal(sequence, out, at, packetLength);
        sequence++;
        length += total;
        bytesOut += total;
    }

    public void rekey(PacketCipher next, boolean resetSequence) {
        cipher = next;
        if (resetSequence) {
            sequence = 0;
        }
    }

    /** The pending output; valid until the next call. */
    public byte[] array() {
        return out;
    }

    public int length() {
        return length;
    }

    private byte[] spare = new byte[0];

    /**
     * Hands out the pending output without copying: {@code length()} octets of the returned array,
     * valid until the next call (the two arrays alternate). Then empty.
     */
    public byte[] swap() {
        byte[] full = out;
        byte[] next = spare.length >= 16384 ? spare : new byte[Math.max(16384, full.length)];
        spare = full;
        out = next;
        swappedLength = length;
        length = 0;
        return full;
    }

    private int swappedLength;

    /** The length of what the last {@link #swap()} returned. */
    public int swappedLength() {
        return swappedLength;
    }

    public byte[] drain() {
        byte[] d = Arrays.copyOf(out, length);
        length = 0;
        return d;
    }

    public void clear() {
        length = 0;
    }

    public long bytesOut() {
        return bytesOut;
    }
}
