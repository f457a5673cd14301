package atoll.openvpn.crypto;

/**
 * A sliding replay window over 32-bit packet ids (OpenVPN's {@code packet_id.c} keeps a backtrack
 * window the same way; IPsec's anti-replay window, RFC 4303 §3.4.3, is the classic form). Ids at or
 * below the window's bottom, and ids seen already, are replays. Zero is never valid: OpenVPN's
 * packet ids start at 1.
 */
public final class PacketIdWindow {
    /** Ids this far behind the highest still count if not seen (OpenVPN's default replay-window is 64). */
    public static final int SIZE = 64;

    private long highest;
    private long seen; // bit i: highest - i was accepted

    /** Whether {@code id} would be accepted, without recording it (check before decrypting is costly work). */
    public boolean isFresh(long id) {
        if (id <= 0 || id > 0xffffffffL) {
            return false;
        }
        if (id > highest) {
            return true;
        }
        long back = highest - id;
        return back < SIZE && (seen & (1L << back)) == 0;
    }

    /** Records {@code id} after its packet authenticated; returns false for a replay. */
    public boolean accept(long id) {
        if (!isFresh(id)) {
            return false;
        }
        if (id > highest) {
            long shift = id - highest;
            seen = shift >= SIZE ? 0 : seen << shift;
            highest = id;
            seen |= 1;
        } else {
            seen |= 1L << (highest - id);
        }
        return true;
    }

    public long highest() {
        return highest;
    }
}
