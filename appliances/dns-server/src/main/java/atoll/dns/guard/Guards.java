package atoll.dns.guard;

/**
 * The query-path protections an engine applies: DNS cookies and response rate limiting.
 *
 * @param cookies the server cookie maker and checker, or null when cookies are off
 * @param enforceCookies over UDP, answer a query with an invalid server cookie with BADCOOKIE
 *     and a fresh cookie (RFC 7873 §5.2.4) instead of answering it normally
 * @param rrl the UDP response rate limiter, or null when off
 */
public record Guards(ServerCookies cookies, boolean enforceCookies, RateLimiter rrl) {
    /** Neither cookies nor rate limiting. */
    public static final Guards NONE = new Guards(null, false, null);
}
