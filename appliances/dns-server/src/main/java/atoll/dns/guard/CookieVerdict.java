package atoll.dns.guard;

/** What a query's COOKIE option (RFC 7873 §5.2) turned out to be. */
public enum CookieVerdict {
    /** Not looked at yet, or cookies are off. */
    NOT_CHECKED(false),
    /** No COOKIE option (§5.2.1). */
    NONE(false),
    /** A length no cookie has (§5.2.2): answered with FORMERR. */
    MALFORMED(false),
    /** A client cookie only (§5.2.3): answered, with a fresh server cookie. */
    CLIENT_ONLY(true),
    /** A server cookie this server did not make, or made too long ago (§5.2.4). */
    INVALID(true),
    /** A server cookie this server made for this client, within its lifetime (§5.2.5). */
    VALID(true);

    private final boolean reply;

    CookieVerdict(boolean reply) {
        this.reply = reply;
    }

    /** True if the response carries a COOKIE option. */
    public boolean hasReply() {
        return reply;
    }
}
