package atoll.ssh.wire;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Builds SSH data types (RFC 4251 §5) into a growing array. */
public final class SshWriter {
    private byte[] bytes;
    private int length;

    public SshWriter() {
        this(256);
    }

    public SshWriter(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    private void room(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }

    public SshWriter byte8(int v) {
        room(1);
        bytes[length++] = (byte) v;
        return this;
    }

    public SshWriter bool(boolean v) {
        return byte8(v ? 1 : 0);
    }

    public SshWriter uint32(long v) {
        room(4);
        bytes[length] = (byte) (v >>> 24);
        bytes[length + 1] = (byte) (v >>> 16);
        bytes[length + 2] = (byte) (v >>> 8);
        bytes[length + 3] = (byte) v;
        length += 4;
        return this;
    }

    public SshWriter raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public SshWriter raw(byte[] b, int off, int len) {
        room(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return this;
    }

    public SshWriter string(byte[] b) {
        return string(b, 0, b.length);
    }

    public SshWriter string(byte[] b, int off, int len) {
        uint32(len);
        return raw(b, off, len);
    }

    public SshWriter string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    public SshWriter mpint(BigInteger v) {
        return string(v.signum() == 0 ? new byte[0] : v.toByteArray());
    }

    /** An unsigned big-endian magnitude written as an mpint (a shared secret, RFC 5656 §4). */
    public SshWriter mpintUnsigned(byte[] magnitude) {
        return mpint(new BigInteger(1, magnitude));
    }

    public SshWriter nameList(List<String> names) {
        return string(String.join(",", names).getBytes(StandardCharsets.US_ASCII));
    }

    public int length() {
        return length;
    }

    public byte[] array() {
        return bytes;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    public void reset() {
        length = 0;
    }
}
