package atoll.https.http1;

/** What {@link RequestParser#parse} found in the bytes received so far. */
public sealed interface ParseResult {

    /** The header section is not complete yet: read more. */
    record Incomplete() implements ParseResult {}

    /**
     * A complete request head.
     *
     * @param head the request
     * @param consumed octets of input it took (the next request, if pipelined, starts there)
     */
    record Parsed(RequestHead head, int consumed) implements ParseResult {}

    /**
     * The input is not a request we will serve: answer {@code status} and close the connection
     * (RFC 9112 §3: "a server that receives a request ... MUST respond with a 400").
     *
     * @param status 400, 414, 431, 501 or 505
     * @param reason what was wrong, for the log (never echoed to the client)
     */
    record Malformed(int status, String reason) implements ParseResult {}

    ParseResult INCOMPLETE = new Incomplete();
}
