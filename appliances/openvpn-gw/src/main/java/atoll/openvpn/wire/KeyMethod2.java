package atoll.openvpn.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Key method 2, the first message each side sends over TLS (OpenVPN's {@code ssl.c},
 * {@code key_method_2_write}/{@code _read}). Strings are a 16-bit length that counts a
 * terminating NUL, then the octets and the NUL.
 *
 * <pre>
 * +-------------+-----------+---------------------------+-------------+-------------+------------------+
 * | zero (4)    | method (1)| key source                | options     | user, pass  | peer info        |
 * +-------------+-----------+---------------------------+-------------+-------------+------------------+
 *   key source: client pre-master (48), random1 (32), random2 (32); server random1, random2 only
 *   user, pass, peer info: client only, each optional (absent if the message ends)
 * </pre>
 *
 * @param preMaster 48 octets from the client; empty from the server
 * @param random1 32 octets
 * @param random2 32 octets
 * @param options the options string ("V4,dev-type tun,...")
 * @param username empty when the client sends none
 * @param password empty when the client sends none
 * @param peerInfo the client's IV_* lines, empty when absent
 */
public record KeyMethod2(byte[] preMaster, byte[] random1, byte[] random2, String options, String username,
        String password, String peerInfo) {
    /** The method octet's value for key method 2 (low four bits; OpenVPN's {@code KEY_METHOD_MASK}). */
    public static final int METHOD = 2;
    public static final int PRE_MASTER_LENGTH = 48;
    public static final int RANDOM_LENGTH = 32;
    /** The longest string accepted (ours; OpenVPN's own buffers are of this order, TLS_OPTIONS_LEN and peer-info). */
    public static final int MAX_STRING = 8192;

    public KeyMethod2 {
        preMaster = preMaster.clone();
        random1 = random1.clone();
        random2 = random2.clone();
    }

    /** Parses a client's message. */
    public static KeyMethod2 parseClient(byte[] message) throws PacketFormatException {
        return parse(message, true);
    }

    /** Parses a server's message. */
    public static KeyMethod2 parseServer(byte[] message) throws PacketFormatException {
        return parse(message, false);
    }

    private static KeyMethod2 parse(byte[] message, boolean fromClient) throws PacketFormatException {
        ByteBuffer in = ByteBuffer.wrap(message);
        need(in, 5 + (fromClient ? PRE_MASTER_LENGTH : 0) + 2 * RANDOM_LENGTH);
        if (in.getInt() != 0) {
            throw new PacketFormatException("key method 2 message does not start with four zero octets");
        }
        int method = in.get() & 0x0f;
        if (method != METHOD) {
            throw new PacketFormatException("key method " + method + " (only 2 exists since OpenVPN 2.5)");
        }
        byte[] pre = new byte[fromClient ? PRE_MASTER_LENGTH : 0];
        in.get(pre);
        byte[] r1 = new byte[RANDOM_LENGTH];
        in.get(r1);
        byte[] r2 = new byte[RANDOM_LENGTH];
        in.get(r2);
        String options = string(in);
        if (options == null) {
            throw new PacketFormatException("no options string");
        }
        String user = "";
        String pass = "";
        String info = "";
        if (fromClient && in.hasRemaining()) {
            user = orEmpty(string(in));
            pass = orEmpty(string(in));
            info = orEmpty(string(in));
        }
        return new KeyMethod2(pre, r1, r2, options, user, pass, info);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A string, "" for length 0, null at the end of the message. */
    private static String string(ByteBuffer in) throws PacketFormatException {
        if (!in.hasRemaining()) {
            return null;
        }
        need(in, 2);
        int n = in.getShort() & 0xffff;
        if (n == 0) {
            return "";
        }
        if (n > MAX_STRING) {
            throw new PacketFormatException("string of " + n + " octets (at most " + MAX_STRING + ")");
        }
        need(in, n);
        byte[] b = new byte[n];
        in.get(b);
        if (b[n - 1] != 0) {
            throw new PacketFormatException("string without its terminating NUL");
        }
        return new String(b, 0, n - 1, StandardCharsets.UTF_8);
    }

    private static void need(ByteBuffer in, int n) throws PacketFormatException {
        if (in.remaining() < n) {
            throw new PacketFormatException("key method 2 message truncated: " + in.remaining() + " octets for " + n);
        }
    }

    /** Writes the message; the client form when {@code preMaster} is not empty. */
    public byte[] toBytes() {
        boolean client = preMaster.length > 0;
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0, METHOD});
        out.writeBytes(preMaster);
        out.writeBytes(random1);
        out.writeBytes(random2);
        writeString(out, options);
        if (client) {
            writeString(out, username);
            writeString(out, password);
            writeString(out, peerInfo);
        }
        return out.toByteArray();
    }

    private static void writeString(java.io.ByteArrayOutputStream out, String s) {
        if (s.isEmpty()) {
            out.writeBytes(new byte[] {0, 0});
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write((b.length + 1) >>> 8);
        out.write(b.length + 1);
        out.writeBytes(b);
        out.write(0);
    }

    /** The peer-info lines as KEY=value pairs, in order (a line without '=' is skipped). */
    public Map<String, String> peerInfoMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : peerInfo.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyMethod2 k && Arrays.equals(k.preMaster, preMaster) && Arrays.equals(k.random1, random1)
                && Arrays.equals(k.random2, random2) && k.options.equals(options) && k.username.equals(username)
                && k.password.equals(password) && k.peerInfo.equals(peerInfo);
    }

    @Override
    public int hashCode() {
        return options.hashCode();
    }

    @Override
    public String toString() {
        return "KeyMethod2[options=" + options + ", user=" + username + ", peerInfo=" + peerInfo.replace('\n', ' ') + "]";
    }
}
