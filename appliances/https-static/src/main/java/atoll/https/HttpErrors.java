package atoll.https;

import atoll.https.http1.HttpDates;
import atoll.https.http1.Response;
import atoll.https.http1.Status;
import java.time.Instant;

/** Responses for requests that could not be parsed: a short text body, then the connection closes. */
final class HttpErrors {
    private HttpErrors() {}

    static Response of(int status, Instant now) {
        byte[] body = (status + " " + Status.reason(status) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new Response.Builder(status)
                .field("Date", HttpDates.format(now))
                .field("Server", "atoll")
                .field("Content-Type", "text/plain; charset=utf-8")
                .field("Content-Length", Integer.toString(body.length))
                .field("Connection", "close")
                .body(Response.Slice.of(body))
                .close(true)
                .build();
    }
}
