package atoll.libos.config;

/**
 * An unknown key or a bad value. The message is the single line the launcher prints before it
 * exits with status 64: it names the key, the value and what is accepted.
 */
public final class ConfigException extends Exception {
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    static ConfigException unknownKey(String key, String value) {
        return new ConfigException(key, "unknown configuration key '" + key + "' (value '" + value
                + "'); --help lists the keys");
    }

    static ConfigException badValue(ConfigKey<?> key, String value) {
        return new ConfigException(key.name(), "bad value '" + value + "' for configuration key '"
                + key.name() + "': expected " + key.type().accepted());
    }
}
