package atoll.ssh.wire;

/** Bytes that do not follow the SSH data type encodings of RFC 4251 §5, or a message's layout. */
public final class SshFormatException extends Exception {
    public SshFormatException(String message) {
        super(message);
    }
}
