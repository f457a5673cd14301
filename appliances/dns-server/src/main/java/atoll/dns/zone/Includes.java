package atoll.dns.zone;

/**
 * Where {@code $INCLUDE} (RFC 1035 §5.1) finds the files it names. The loader decides what a
 * zone may include: its implementations confine the names to the zone file's own directory.
 */
@FunctionalInterface
public interface Includes {
    /** A file an {@code $INCLUDE} may read: its name for messages and its octets. */
    record Included(String name, byte[] octets) {}

    /**
     * Reads the file {@code $INCLUDE} names.
     *
     * @throws IllegalArgumentException with the reason, one line, if the file may not or cannot be
     *     read; the parser reports it at the {@code $INCLUDE} line
     */
    Included read(String fileName);

    /** For zones that may include nothing. */
    Includes NONE = name -> {
        throw new IllegalArgumentException("not supported here (no directory to confine it to)");
    };
}
