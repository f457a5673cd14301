package atoll.ssh.wire;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A checked reader of the SSH data types (RFC 4251 §5) over untrusted bytes: every accessor
 * checks the remaining length first and throws {@link SshFormatException}, never an index error.
 *
 * <pre>
 *   byte      one octet
 *   boolean   one octet, 0 false, anything else true
 *   uint32    four octets, big-endian
 *   string    uint32 length, then that many octets
 *   mpint     string holding a two's-complement big-endian integer
 *   name-list string holding comma-separated US-ASCII names
 * </pre>
 */
public final class SshReader {
    private final byte[] bytes;
    private int position;
    private final int limit;

    public SshReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public SshReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
    }

    public int remaining() {
        return limit - position;
    }

    private void need(int n, String what) throws SshFormatException {
        if (n < 0 || limit - position < n) {
            throw new SshFormatException("truncated " + what + ": needs " + n + " octets, " + (limit - position) + " left");
        }
    }

    public int byte8() throws SshFormatException {
        need(1, "byte");
        return bytes[position++] & 0xff;
    }

    public boolean bool() throws SshFormatException {
        return byte8() != 0;
    }

    public long uint32() throws SshFormatException {
        need(4, "uint32");
        long v = ((bytes[position] & 0xffL) << 24) | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
        position += 4;
        return v;
    }

    /** A uint32 that must fit an int (lengths, channel numbers, windows up to 2^31-1). */
    public int int32() throws SshFormatException {
        return (int) uint32();
    }

    public byte[] string() throws SshFormatException {
        long n = uint32();
        if (n > limit - position) {
            throw new SshFormatException("string of " + n + " octets with " + (limit - position) + " left");
        }
        byte[] s = Arrays.copyOfRange(bytes, position, position + (int) n);
        position += (int) n;
        return s;
    }

    /**
     * Skips a string and returns the offset of its content in the underlying array (its length is
     * then {@code position - offset}); no copy.
     */
    public int stringInPlace() throws SshFormatException {
        long n = uint32();
        if (n > limit - position) {
            throw new SshFormatException("string of " + n + " octets with " + (limit - position) + " left");
        }
        int at = position;
        position += (int) n;
        return at;
    }

    /** The offset of the next octet in the underlying array. */
    public int position() {
        return position;
    }

    /** A string that must be UTF-8 text (user names, host names, descriptions). */
    public String text() throws SshFormatException {
        return new String(string(), StandardCharsets.UTF_8);
    }

    public BigInteger mpint() throws SshFormatException {
        byte[] s = string();
        return s.length == 0 ? BigInteger.ZERO : new BigInteger(s);
    }

    public List<String> nameList() throws SshFormatException {
        String s = new String(string(), StandardCharsets.US_ASCII);
        return s.isEmpty() ? List.of() : List.of(s.split(",", -1));
    }

    /** Everything left, as a copy. */
    public byte[] rest() {
        byte[] r = Arrays.copyOfRange(bytes, position, limit);
        position = limit;
        return r;
    }

    /** Fails unless every octet was read (a message with trailing garbage is malformed). */
    public void end() throws SshFormatException {
        if (position != limit) {
            throw new SshFormatException((limit - position) + " unexpected trailing octets");
        }
    }
}
