package atoll.stack.tcp;

/**
 * Stateless SYN-ACKs for a listener whose backlog is full (RFC 4987 §3.6). The cookie is our ISN:
 *
 * <pre>
 *  31     27 26  24 23                                   0
 * +---------+------+--------------------------------------+
 * | t mod 32| MSS  |  hash(4-tuple, t, peer ISN) 24 bits  |
 * +---------+------+--------------------------------------+
 * </pre>
 *
 * where t counts 64-second periods. A returning ACK with SEG.ACK - 1 equal to a cookie of the
 * current or previous period re-creates the connection. Window scale, SACK and timestamps are
 * not encoded, so connections opened from a cookie run without them.
 */
final class SynCookies {
    private static final long PERIOD = 64_000_000_000L;
    /** MSS values a cookie can carry (3 bits); the largest not above the peer's is chosen. */
    private static final int[] MSS_TABLE = {536, 1220, 1300, 1380, 1420, 1440, 1452, 1460};

    private final SecretHash hash;

    SynCookies(SecretHash hash) {
        this.hash = hash;
    }

    int make(long now, int localAddr, int localPort, int remoteAddr, int remotePort, int peerIsn, int peerMss) {
        int t = (int) (now / PERIOD) & 0x1F;
        int m = 0;
        for (int i = MSS_TABLE.length - 1; i >= 0; i--) {
            if (MSS_TABLE[i] <= peerMss) {
                m = i;
                break;
            }
        }
        int h = hash.hash(localAddr, localPort, remoteAddr, remotePort, peerIsn ^ t << 24 ^ m << 29) & 0xFFFFFF;
        return t << 27 | m << 24 | h;
    }

    /** The MSS encoded in a valid cookie, or -1 if {@code cookie} is not one we made lately. */
    int check(long now, int localAddr, int localPort, int remoteAddr, int remotePort, int peerIsn, int cookie) {
        int t = cookie >>> 27;
        int m = cookie >>> 24 & 7;
        int current = (int) (now / PERIOD) & 0x1F;
        if (t != current && t != ((current - 1) & 0x1F)) {
            return -1;
        }
        int h = hash.hash(localAddr, localPort, remoteAddr, remotePort, peerIsn ^ t << 24 ^ m << 29) & 0xFFFFFF;
        return h == (cookie & 0xFFFFFF) ? MSS_TABLE[m] : -1;
    }
}
