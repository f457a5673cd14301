package atoll.libos.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line. Accepted, and nothing else:
 *
 * <ul>
 *   <li>{@code --help} or {@code -h}: print the keys and exit;
 *   <li>{@code --version}: print the version and exit;
 *   <li>{@code --config=FILE}: read this configuration file;
 *   <li>{@code --key=value}: override a configuration key (the last one given wins);
 *   <li>{@code --key} alone, for a boolean key only: the same as {@code --key=true}.
 * </ul>
 *
 * <p>{@code --key value} (with a space) is refused rather than guessed at, so that a stray word
 * never silently becomes a value.
 *
 * @param help whether {@code --help} or {@code -h} was given
 * @param version whether {@code --version} was given
 * @param configFile the {@code --config} file, if given
 * @param overrides {@code --key=value} pairs, in order; keys are not checked against the
 *     declarations here ({@link Config#of} does that, naming the key and value)
 */
public record CommandLine(boolean help, boolean version, Optional<Path> configFile, Map<String, String> overrides) {
    public CommandLine {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /**
     * Parses {@code args}.
     *
     * @param declared the declared keys, to know which ones may be given as a bare flag
     * @throws ConfigException with a one-line message for anything not in the list above
     */
    public static CommandLine parse(String[] args, List<ConfigKey<?>> declared) throws ConfigException {
        boolean help = false;
        boolean version = false;
        Path config = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String arg : args) {
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> {
                    if (!arg.startsWith("--") || arg.length() == 2) {
                        throw new ConfigException(null, "unexpected argument '" + arg
                                + "': options are --help, --version, --config=FILE and --key=value");
                    }
                    int eq = arg.indexOf('=');
                    String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                    if (key.isEmpty()) {
                        throw new ConfigException(null, "unexpected argument '" + arg + "': expected --key=value");
                    }
                    if (key.equals("config")) {
                        if (eq < 0 || eq == arg.length() - 1) {
                            throw new ConfigException("config", "--config needs a file: --config=FILE");
                        }
                        try {
                            config = Path.of(arg.substring(eq + 1));
                        } catch (java.nio.file.InvalidPathException e) {
                            throw new ConfigException("config", "--config: bad file name '" + arg.substring(eq + 1) + "'");
                        }
                    } else if (eq >= 0) {
                        overrides.put(key, arg.substring(eq + 1));
                    } else {
                        ConfigKey<?> k = find(declared, key);
                        if (k == null) {
                            throw new ConfigException(key, "unknown option '" + arg + "'; --help lists the keys");
                        }
                        if (!(k.defaultValue() instanceof Boolean)) {
                            throw new ConfigException(key, "option '" + arg + "' needs a value: --" + key
                                    + "=VALUE, where VALUE is " + k.type().accepted());
                        }
                        overrides.put(key, "true");
                    }
                }
            }
        }
        return new CommandLine(help, version, Optional.ofNullable(config), overrides);
    }

    private static ConfigKey<?> find(List<ConfigKey<?>> declared, String name) {
        for (ConfigKey<?> k : declared) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
