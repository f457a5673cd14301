package atoll.libos.log;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Settings and line format of Atoll's compact logger (see {@link CompactLoggerFinder}).
 *
 * <p>One record is one line: {@code 2026-11-27T20:32:38.123Z INFO  dns-server: message}, i.e. the
 * UTC instant with milliseconds, the level padded to five columns ({@code WARNING} is written
 * {@code WARN}), the logger name and the message. Control characters in the message are escaped
 * so that a remote peer's bytes can never forge a second log line. A throwable adds
 * {@code : <class>: <message>} to the same line, and its stack trace on the following lines only
 * when the level is {@code DEBUG} or finer.
 *
 * <p>The level is global and can change at run time; it starts at the system property
 * {@code atoll.log.level} (a {@link Level} name, any case) or {@code INFO}. Thread-safe.
 */
public final class AtollLog {
    private AtollLog() {}

    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static volatile Level level = initialLevel();
    private static volatile PrintStream output; // null: System.err as it is at each write
    private static final Object WRITE_LOCK = new Object();

    private static Level initialLevel() {
        String p = System.getProperty("atoll.log.level");
        if (p != null) {
            Level l = parseLevel(p);
            if (l != null) {
                return l;
            }
        }
        return Level.INFO;
    }

    /** The level for a name such as {@code debug} or {@code WARNING}, or null if none. */
    static Level parseLevel(String name) {
        String t = name.strip().toUpperCase(Locale.ROOT);
        for (Level l : Level.values()) {
            if (l.getName().equals(t)) {
                return l;
            }
        }
        return null;
    }

    /** Sets the global threshold: records below it are dropped; {@code OFF} drops all. */
    public static void setLevel(Level newLevel) {
        level = java.util.Objects.requireNonNull(newLevel, "level");
    }

    /** The global threshold. */
    public static Level level() {
        return level;
    }

    /** Whether a record at {@code at} would be written. */
    public static boolean isEnabled(Level at) {
        Level threshold = level;
        return at != Level.OFF && threshold != Level.OFF && at.getSeverity() >= threshold.getSeverity();
    }

    /**
     * Sends records to {@code out} instead of standard error (for tests); null goes back to
     * standard error.
     */
    public static void setOutput(PrintStream out) {
        output = out;
    }

    static void write(String logger, Level at, String message, Throwable thrown) {
        Instant now = Instant.now();
        StringBuilder line = new StringBuilder(64 + logger.length() + (message == null ? 4 : message.length()));
        INSTANT.formatTo(now, line);
        line.append(' ');
        String name = switch (at) {
            case WARNING -> "WARN";
            case ALL -> "TRACE";
            default -> at.getName();
        };
        line.append(name);
        for (int i = name.length(); i < 5; i++) {
            line.append(' ');
        }
        line.append(' ').append(logger).append(": ");
        appendEscaped(line, message);
        if (thrown != null) {
            line.append(": ").append(thrown.getClass().getName());
            if (thrown.getMessage() != null) {
                line.append(": ");
                appendEscaped(line, thrown.getMessage());
            }
        }
        boolean trace = thrown != null && isEnabled(Level.DEBUG);
        PrintStream out = output;
        if (out == null) {
            out = System.err;
        }
        synchronized (WRITE_LOCK) {
            out.println(line);
            if (trace) {
                thrown.printStackTrace(out);
            }
            out.flush();
        }
    }

    /**
     * {@code format} with {@code params} through {@link MessageFormat} when there are any; a
     * pattern MessageFormat refuses is written as is, followed by the parameters.
     */
    static String format(String format, Object... params) {
        if (params == null || params.length == 0 || format == null) {
            return format;
        }
        try {
            return new MessageFormat(format, Locale.ROOT).format(params);
        } catch (IllegalArgumentException e) {
            return format + " " + java.util.Arrays.toString(params);
        }
    }

    private static void appendEscaped(StringBuilder line, String s) {
        if (s == null) {
            line.append("null");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f || c == '\t') {
                line.append(c);
            } else if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else {
                line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
    }
}
