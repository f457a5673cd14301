package atoll.libos.config;

/**
 * Parses, validates and formats one kind of configuration value. Standard types are in
 * {@link ValueTypes}.
 */
public interface ValueType<T> {

    /**
     * Parses and validates a raw value.
     *
     * @throws IllegalArgumentException if it is not acceptable; the message is not shown, the
     *     error line uses {@link #accepted()}
     */
    T parse(String raw);

    /** Formats a value the way {@link #parse} reads it (for --help and logs). */
    String format(T value);

    /** What values are accepted, for error lines and --help ("an integer from 1 to 65535"). */
    String accepted();

    /** A short type name for --help ("port", "duration", "list of paths"). */
    String name();
}
