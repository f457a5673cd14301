package atoll.https.http1;

/**
 * One header field line as received (RFC 9110 §5): the name as sent and the value without
 * surrounding whitespace.
 */
public record HeaderField(String name, String value) {}
