package atoll.libos.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated configuration: a value for every declared key (its default unless the config file or
 * the command line set it). Immutable.
 */
public final class Config {
    private final Map<String, ConfigKey<?>> keys;
    private final Map<String, Object> values;

    private Config(Map<String, ConfigKey<?>> keys, Map<String, Object> values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * Builds a configuration from raw string values (already merged: file, then command line).
     *
     * @throws ConfigException naming the first unknown key or bad value
     */
    public static Config of(List<ConfigKey<?>> declared, Map<String, String> raw) throws ConfigException {
        Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
        for (ConfigKey<?> k : declared) {
            if (keys.putIfAbsent(k.name(), k) != null) {
                throw new IllegalArgumentException("config key declared twice: " + k.name());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey<?> k : keys.values()) {
            values.put(k.name(), k.defaultValue());
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            ConfigKey<?> k = keys.get(e.getKey());
            if (k == null) {
                throw ConfigException.unknownKey(e.getKey(), e.getValue());
            }
            try {
                values.put(k.name(), k.type().parse(e.getValue()));
            } catch (IllegalArgumentException bad) {
                throw ConfigException.badValue(k, e.getValue());
            }
        }
        return new Config(keys, values);
    }

    /** Every key at its default. */
    public static Config defaults(List<ConfigKey<?>> declared) {
        try {
            return of(declared, Map.of());
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The value of {@code key}.
     *
     * @throws IllegalArgumentException if the key was not declared to this configuration
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (keys.get(key.name()) != key && !key.equals(keys.get(key.name()))) {
            throw new IllegalArgumentException("config key not declared: " + key.name());
        }
        return (T) values.get(key.name());
    }

    /** The declared keys, in declaration order. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }
}
