package atoll.dns.guard;

import atoll.libos.net.TransportAddress;

/**
 * What the guards need to know about the sender of the query being answered, and their scratch
 * space: one instance per caller (an event loop, a TCP flow), reused for every query, so the
 * query path allocates nothing. Mutable and not thread-safe.
 */
public final class Peer {
    /** RFC 7873 §4: an 8-octet client cookie and, in our responses, a 16-octet server cookie (RFC 9018 §4.2). */
    public static final int REPLY_COOKIE_LENGTH = ServerCookies.CLIENT_COOKIE + ServerCookies.SERVER_COOKIE;

    private TransportAddress address;
    /** The COOKIE option's data for the response, valid when {@link #verdict} carries one. */
    final byte[] replyCookie = new byte[REPLY_COOKIE_LENGTH];
    /** The SipHash input: client cookie, version, reserved, timestamp, client IP (RFC 9018 §4.4). */
    final byte[] hashInput = new byte[ServerCookies.CLIENT_COOKIE + 8 + 16];
    private CookieVerdict verdict = CookieVerdict.NOT_CHECKED;
    private int rcode;

    /**
     * Starts a query from {@code from}; the reference is kept until the next call and must stay
     * unchanged while the query is answered.
     */
    public Peer from(TransportAddress from) {
        this.address = from;
        this.verdict = CookieVerdict.NOT_CHECKED;
        return this;
    }

    /** The full (12-bit) RCODE of the response written for the current query. */
    public int rcode() {
        return rcode;
    }

    public void rcode(int r) {
        this.rcode = r;
    }

    public TransportAddress address() {
        return address;
    }

    public CookieVerdict verdict() {
        return verdict;
    }

    public void verdict(CookieVerdict v) {
        this.verdict = v;
    }

    /** The COOKIE option data to send back; meaningful when {@code verdict().hasReply()}. */
    public byte[] replyCookie() {
        return replyCookie;
    }
}
