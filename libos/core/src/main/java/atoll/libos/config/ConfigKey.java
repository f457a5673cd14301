package atoll.libos.config;

import java.util.Objects;

/**
 * One configuration key, declared in code: its name, type, default and a one-line doc. The type
 * parses and validates a raw string; {@code --help} lists every key from these declarations.
 *
 * @param name dotted lower-case name, as written in the config file and as {@code --name=value}
 * @param type parser and validator for the value
 * @param defaultValue the value when neither the config file nor the command line sets it
 * @param doc one line saying what it does
 */
public record ConfigKey<T>(String name, ValueType<T> type, T defaultValue, String doc) {
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*")) {
            throw new IllegalArgumentException("bad config key name: " + name);
        }
    }

    public static <T> ConfigKey<T> of(String name, ValueType<T> type, T defaultValue, String doc) {
        return new ConfigKey<>(name, type, defaultValue, doc);
    }
}
