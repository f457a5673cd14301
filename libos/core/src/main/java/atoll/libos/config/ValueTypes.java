package atoll.libos.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard {@link ValueType}s. Each one parses strictly (no DNS look-ups, no guessing) and
 * says in {@link ValueType#accepted()} what it takes, because that text is what an operator sees
 * when a value is refused.
 */
public final class ValueTypes {
    private ValueTypes() {}

    /** Smallest and largest TCP/UDP port numbers (RFC 9293 §3.1, RFC 768: 16-bit fields). */
    private static final int PORT_MAX = 65_535;

    /** Any string, spaces trimmed by the config file and taken as is. */
    public static ValueType<String> string() {
        return simple("string", "any text", s -> s, s -> s);
    }

    /** A string that is not empty (after trimming). */
    public static ValueType<String> nonEmptyString() {
        return simple("string", "non-empty text", s -> {
            if (s.strip().isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return s.strip();
        }, s -> s);
    }

    /** Pattern's {@code [0-9]} is ASCII only (no UNICODE_CHARACTER_CLASS), as is {@code \d}. */
    private static final Pattern ASCII_INTEGER = Pattern.compile("-?[0-9]{1,10}");

    /** A decimal integer in {@code [min, max]}, in ASCII digits. */
    public static ValueType<Integer> integer(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        String accepted = "an integer from " + min + " to " + max;
        return simple("integer", accepted, s -> {
            String t = s.strip();
            // ASCII digits only: Integer.parseInt also reads other scripts' digits (and a '+').
            if (!ASCII_INTEGER.matcher(t).matches()) {
                throw new IllegalArgumentException("not a decimal integer");
            }
            int v = Integer.parseInt(t); // NumberFormatException is an IllegalArgumentException
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        }, String::valueOf);
    }

    /** A TCP/UDP port from 1 to 65535. */
    public static ValueType<Integer> port() {
        return rename(integer(1, PORT_MAX), "port");
    }

    /** A TCP/UDP port from 0 to 65535, where 0 asks the stack to pick a free one. */
    public static ValueType<Integer> portOrZero() {
        return rename(integer(0, PORT_MAX), "port");
    }

    /** {@code true/false}, {@code yes/no} or {@code on/off}, any case. */
    public static ValueType<Boolean> bool() {
        return simple("boolean", "true/false, yes/no or on/off", s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        }, String::valueOf);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)?");

    /**
     * A non-negative duration: a whole number followed by {@code ms}, {@code s}, {@code m} or
     * {@code h}; a bare number is seconds ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h},
     * {@code 30}).
     */
    public static ValueType<Duration> duration() {
        return simple("duration", "a duration such as 500ms, 10s, 5m, 1h (a plain number is seconds)", s -> {
            Matcher m = DURATION.matcher(s.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a duration");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> throw new AssertionError(unit);
            };
        }, ValueTypes::formatDuration);
    }

    /**
     * A duration, as {@link #duration()} reads it, from {@code min} to {@code max} inclusive: for
     * timeouts where zero would not mean "never" but would silently disable a protection.
     */
    public static ValueType<Duration> duration(Duration min, Duration max) {
        if (min.isNegative() || min.compareTo(max) > 0) {
            throw new IllegalArgumentException("bad duration range " + min + ".." + max);
        }
        ValueType<Duration> any = duration();
        String range = formatDuration(min) + " to " + formatDuration(max);
        return simple("duration", "a duration from " + range + ", such as 500ms, 10s, 5m (a plain number is seconds)", s -> {
            Duration d = any.parse(s);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("out of range");
            }
            return d;
        }, ValueTypes::formatDuration);
    }

    /** The shortest exact spelling of {@code d} in the units {@link #duration()} reads. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /**
     * A literal IPv4 (dotted quad) or IPv6 address. Host names are refused: the runtime never
     * resolves names while it reads its configuration.
     */
    public static ValueType<InetAddress> inetAddress() {
        return simple("address", "a literal IPv4 or IPv6 address (no host names)", s -> {
            String t = s.strip();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            try {
                if (IPV4_LITERAL.matcher(t).matches()) {
                    byte[] octets = new byte[4];
                    String[] parts = t.split("\\.");
                    for (int i = 0; i < 4; i++) {
                        // Leading zeros are refused: some parsers read them as octal (RFC 6943 §3.1.1).
                        if (parts[i].length() > 1 && parts[i].startsWith("0")) {
                            throw new IllegalArgumentException("leading zero");
                        }
                        int v = Integer.parseInt(parts[i]);
                        if (v > 255) {
                            throw new IllegalArgumentException("octet out of range");
                        }
                        octets[i] = (byte) v;
                    }
                    return InetAddress.getByAddress(octets);
                }
                if (!t.contains(":") || !IPV6_LITERAL.matcher(t).matches()) {
                    throw new IllegalArgumentException("not an address literal");
                }
                // A string with a colon that starts with a hex digit or colon is parsed as an IPv6
                // literal by getByName, which throws rather than querying DNS if it is malformed.
                return InetAddress.getByName(t);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad literal", e);
            }
        }, atoll.libos.net.Addresses::format);
    }

    /**
     * A comma-separated list of {@code element} values, each trimmed; the empty string is the
     * empty list.
     */
    public static <T> ValueType<List<T>> listOf(ValueType<T> element) {
        Objects.requireNonNull(element, "element");
        return new ValueType<>() {
            @Override
            public List<T> parse(String raw) {
                if (raw.strip().isEmpty()) {
                    return List.of();
                }
                List<T> out = new ArrayList<>();
                for (String part : raw.split(",", -1)) {
                    out.add(element.parse(part.strip()));
                }
                return List.copyOf(out);
            }

            @Override
            public String format(List<T> value) {
                List<String> parts = new ArrayList<>(value.size());
                for (T v : value) {
                    parts.add(element.format(v));
                }
                return String.join(",", parts);
            }

            @Override
            public String accepted() {
                return "a comma-separated list, each " + element.accepted();
            }

            @Override
            public String name() {
                return "list of " + element.name();
            }
        };
    }

    /**
     * Like {@link #listOf} but at least one element: for keys where an empty list would leave the
     * appliance running with nothing to do (no address to answer on, say).
     */
    public static <T> ValueType<List<T>> nonEmptyListOf(ValueType<T> element) {
        ValueType<List<T>> list = listOf(element);
        return new ValueType<>() {
            @Override
            public List<T> parse(String raw) {
                List<T> out = list.parse(raw);
                if (out.isEmpty()) {
                    throw new IllegalArgumentException("empty list");
                }
                return out;
            }

            @Override
            public String format(List<T> value) {
                return list.format(value);
            }

            @Override
            public String accepted() {
                return "a non-empty comma-separated list, each " + element.accepted();
            }

            @Override
            public String name() {
                return list.name();
            }
        };
    }

    /** One of {@code choices}, exactly as spelled. */
    public static ValueType<String> enumOf(String... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("no choices");
        }
        List<String> list = List.of(choices);
        return simple("choice", "one of " + String.join(", ", list), s -> {
            String t = s.strip();
            if (!list.contains(t)) {
                throw new IllegalArgumentException("not a choice");
            }
            return t;
        }, s -> s);
    }

    /**
     * A {@link System.Logger.Level} by name, any case: {@code trace}, {@code debug}, {@code info},
     * {@code warning}, {@code error}, {@code off} ({@code all} is accepted too).
     */
    public static ValueType<System.Logger.Level> logLevel() {
        String names = String.join(", ", Arrays.stream(System.Logger.Level.values())
                .filter(l -> l != System.Logger.Level.ALL)
                .map(l -> l.getName().toLowerCase(Locale.ROOT))
                .toList());
        return simple("level", "one of " + names, s -> {
            String t = s.strip().toUpperCase(Locale.ROOT);
            for (System.Logger.Level l : System.Logger.Level.values()) {
                if (l.getName().equals(t)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("not a level");
        }, l -> l.getName().toLowerCase(Locale.ROOT));
    }

    /** A file system path, relative to the working directory unless absolute. */
    public static ValueType<Path> path() {
        return simple("path", "a file system path", s -> {
            String t = s.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty path");
            }
            try {
                return Path.of(t);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, Path::toString);
    }

    private static <T> ValueType<T> rename(ValueType<T> base, String name) {
        return new ValueType<>() {
            @Override
            public T parse(String raw) {
                return base.parse(raw);
            }

            @Override
            public String format(T value) {
                return base.format(value);
            }

            @Override
            public String accepted() {
                return base.accepted();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private static <T> ValueType<T> simple(
            String name, String accepted, Function<String, T> parser, Function<T, String> formatter) {
        return new Simple<>(name, accepted, parser, formatter);
    }

    private record Simple<T>(String name, String accepted, Function<String, T> parser, Function<T, String> formatter)
            implements ValueType<T> {
        @Override
        public T parse(String raw) {
            Objects.requireNonNull(raw, "raw");
            return parser.apply(raw);
        }

        @Override
        public String format(T value) {
            return formatter.apply(value);
        }
    }
}
