package atoll.https.h2;

/** A header block that cannot be decoded: a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3). */
public final class HpackException extends Exception {
    public HpackException(String message) {
        super(message);
    }
}
