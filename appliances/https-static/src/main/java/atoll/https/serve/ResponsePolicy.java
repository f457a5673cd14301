package atoll.https.serve;

/**
 * Site-wide response settings.
 *
 * @param index the file served for a directory ({@code index.html})
 * @param notFound the site file sent with a 404, or empty for a built-in page
 * @param hsts the Strict-Transport-Security value sent over HTTPS (RFC 6797 §6.1), or empty for none
 * @param securityHeaders whether to send X-Content-Type-Options, X-Frame-Options, Referrer-Policy
 *     and Content-Security-Policy
 * @param contentSecurityPolicy the Content-Security-Policy value, or empty for none
 */
public record ResponsePolicy(String index, String notFound, String hsts, boolean securityHeaders,
        String contentSecurityPolicy) {}
