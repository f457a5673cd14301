package atoll.libos.config;

/**
 * An unknown key or a bad value. The message is the single line the launcher prints before it
 * exits with status 64: it names the key, the value and what is accepted.
 */
public final class ConfigException extends Exception {
    private final String key;

    /**
     * @param message what is wrong; control and line-breaking characters in it (a value or argument
     *     quoted back may carry them) are shown as escapes ({@code \r}, {@code \n}, {@code \t},
     *     {@code \}{@code uXXXX}) so that the message stays one line
     */
    public ConfigException(String key, String message) {
        super(oneLine(message));
        this.key = key;
    }

    /** {@code message} with C0 controls, DEL, NEL and U+2028/U+2029 escaped, as Java writes them. */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
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
