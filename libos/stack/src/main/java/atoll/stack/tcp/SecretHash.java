package atoll.stack.tcp;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash behind initial sequence numbers (RFC 6528 §3: ISN = M + F(localip, localport,
 * remoteip, remoteport, secretkey)) and SYN cookies (RFC 4987 §3.6): HMAC-SHA-256 from the JDK,
 * keyed from the injected entropy, truncated to 32 bits.
 */
final class SecretHash {
    /** RFC 6528 §3: "M is the 4 microsecond timer". */
    private static final long NANOS_PER_ISN_TICK = 4_000;
    private final Mac mac;
    private final byte[] input = new byte[20];
    private final byte[] output;

    SecretHash(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        output = new byte[mac.getMacLength()];
    }

    int hash(int localAddr, int localPort, int remoteAddr, int remotePort, int extra) {
        putInt(0, localAddr);
        putInt(4, remoteAddr);
        putInt(8, localPort << 16 | remotePort);
        putInt(12, extra);
        putInt(16, 0x54435031); // domain separation from other users of the key
        mac.update(input);
        try {
            mac.doFinal(output, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return (output[0] & 0xFF) << 24 | (output[1] & 0xFF) << 16 | (output[2] & 0xFF) << 8 | (output[3] & 0xFF);
    }

    /** RFC 6528 §3 ISN: the 4 µs clock plus the keyed hash of the 4-tuple. */
    int isn(long now, int localAddr, int localPort, int remoteAddr, int remotePort) {
        return (int) (now / NANOS_PER_ISN_TICK) + hash(localAddr, localPort, remoteAddr, remotePort, 0);
    }

    private void putInt(int at, int v) {
        input[at] = (byte) (v >>> 24);
        input[at + 1] = (byte) (v >>> 16);
        input[at + 2] = (byte) (v >>> 8);
        input[at + 3] = (byte) v;
    }
}
