package atoll.dns.guard;

import atoll.libos.time.Clock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * DNS cookies on the server side (RFC 7873) with the interoperable server cookie of RFC 9018:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Version    |                   Reserved                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Hash                              |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Hash = SipHash-2-4(Client Cookie | Version | Reserved | Timestamp | Client-IP, Server Secret)
 * </pre>
 *
 * <p>Thread-safe and allocation-free: the secret is fixed at construction, scratch space is the
 * caller's {@link Peer}, and the time is the injected clock's monotonic counter anchored to its
 * wall time once at construction.
 */
public final class ServerCookies {
    /** RFC 7873 §4.1: the client cookie is 8 octets. */
    public static final int CLIENT_COOKIE = 8;
    /** RFC 9018 §4.2: the version-1 server cookie is 16 octets. */
    public static final int SERVER_COOKIE = 16;
    /** RFC 7873 §4.2: a server cookie is 8 to 32 octets. */
    private static final int SERVER_MIN = 8;
    private static final int SERVER_MAX = 32;
    /** RFC 9018 §4.2: Version 1. */
    private static final int VERSION = 1;
    /** RFC 9018 §4.3: a cookie is valid for an hour after its timestamp ... */
    private static final int MAX_AGE = 3600;
    /** ... and up to five minutes before it (clock skew between anycast servers) ... */
    private static final int MAX_SKEW = 300;
    /** ... and is replaced by a fresh one once it is older than half an hour. */
    private static final int RENEW_AGE = 1800;
    /** RFC 9018 §4.4: the secret is a 128-bit SipHash key. */
    public static final int SECRET_LENGTH = 16;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The Hash field holds SipHash's 64-bit result in the paper's (little-endian) octet order. */
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long k0;
    private final long k1;
    private final Clock clock;
    private final long anchorNanos;
    private final long anchorSeconds;

    /**
     * @param secret the 16-octet server secret (RFC 9018 §4.4): the same on every server behind
     *     one anycast address, random otherwise
     * @param clock the time source; wall time is read once, here
     */
    public ServerCookies(byte[] secret, Clock clock) {
        if (secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("the cookie secret must be 16 octets, not " + secret.length);
        }
        this.k0 = SipHash24.k0(secret);
        this.k1 = SipHash24.k1(secret);
        this.clock = clock;
        this.anchorNanos = clock.nanoTime();
        this.anchorSeconds = clock.now().getEpochSecond();
    }

    /** Seconds since the epoch, mod 2^32 as the Timestamp field holds them (RFC 9018 §4.3). */
    int now() {
        return (int) (anchorSeconds + Math.floorDiv(clock.nanoTime() - anchorNanos, 1_000_000_000L));
    }

    /**
     * Judges the COOKIE option at {@code data} (its OPTION-DATA, {@code length} octets) in
     * {@code message}, sent from {@code peer}'s address, and records the verdict and the cookie to
     * send back in {@code peer}.
     */
    public CookieVerdict check(MemorySegment message, long data, int length, Peer peer) {
        CookieVerdict v = judge(message, data, length, peer);
        peer.verdict(v);
        return v;
    }

    private CookieVerdict judge(MemorySegment message, long data, int length, Peer peer) {
        int server = length - CLIENT_COOKIE;
        // RFC 7873 §5.2.2: a COOKIE option shorter than 8, of 9 to 15, or longer than 40 octets
        // is malformed ("the server MUST discard the request or respond with FORMERR").
        if (length < CLIENT_COOKIE || (server > 0 && server < SERVER_MIN) || server > SERVER_MAX) {
            return CookieVerdict.MALFORMED;
        }
        byte[] reply = peer.replyCookie;
        MemorySegment.copy(message, ValueLayout.JAVA_BYTE, data, reply, 0, CLIENT_COOKIE);
        int now = now();
        if (server == 0) {
            mint(peer, now);
            return CookieVerdict.CLIENT_ONLY;
        }
        if (server == SERVER_COOKIE && message.get(ValueLayout.JAVA_BYTE, data + CLIENT_COOKIE) == VERSION) {
            int stamp = message.get(U32, data + CLIENT_COOKIE + 4);
            // RFC 9018 §4.3: serial number arithmetic (RFC 1982) on the 32-bit timestamp.
            int age = now - stamp;
            if (age <= MAX_AGE && age >= -MAX_SKEW) {
                byte[] in = peer.hashInput;
                // The received Version, Reserved and Timestamp go into the hash as they came.
                MemorySegment.copy(message, ValueLayout.JAVA_BYTE, data, in, 0, CLIENT_COOKIE + 8);
                int n = CLIENT_COOKIE + 8 + addIp(peer, in, CLIENT_COOKIE + 8);
                long expected = SipHash24.hash(k0, k1, in, 0, n);
                long got = message.get(LE64, data + CLIENT_COOKIE + 8);
                if (expected == got) {
                    if (age > RENEW_AGE) {
                        mint(peer, now); // RFC 9018 §4.3: older than half an hour, a new one
                    } else {
                        MemorySegment.copy(message, ValueLayout.JAVA_BYTE, data + CLIENT_COOKIE, reply,
                                CLIENT_COOKIE, SERVER_COOKIE);
                    }
                    return CookieVerdict.VALID;
                }
            }
        }
        // RFC 7873 §5.2.4: an invalid server cookie is treated as if only the client cookie were
        // present, so the response carries a fresh one.
        mint(peer, now);
        return CookieVerdict.INVALID;
    }

    /** Writes a fresh server cookie for the client cookie already in {@code peer.replyCookie}. */
    private void mint(Peer peer, int now) {
        byte[] reply = peer.replyCookie;
        byte[] in = peer.hashInput;
        System.arraycopy(reply, 0, in, 0, CLIENT_COOKIE);
        in[8] = VERSION;
        in[9] = 0; // RFC 9018 §4.2: Reserved "MUST be set to zero" by the server
        in[10] = 0;
        in[11] = 0;
        in[12] = (byte) (now >>> 24);
        in[13] = (byte) (now >>> 16);
        in[14] = (byte) (now >>> 8);
        in[15] = (byte) now;
        int n = CLIENT_COOKIE + 8 + addIp(peer, in, CLIENT_COOKIE + 8);
        System.arraycopy(in, CLIENT_COOKIE, reply, CLIENT_COOKIE, 8);
        SipHash24.writeLe(SipHash24.hash(k0, k1, in, 0, n), reply, CLIENT_COOKIE + 8);
    }

    /** RFC 9018 §4.4: Client-IP is 4 octets for IPv4 and 16 for IPv6. */
    private static int addIp(Peer peer, byte[] in, int at) {
        peer.address().copyAddress(in, at);
        return peer.address().addressLength();
    }
}
