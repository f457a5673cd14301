package atoll.libos.store;

/**
 * The shape every store key must have: a relative path of '/'-separated segments, none of them
 * empty, {@code .} or {@code ..}, with no backslash or NUL. That keeps every key inside its
 * store's root, whatever the key came from.
 */
public final class StoreKeys {
    private StoreKeys() {}

    /** Prefix of the temporary files {@link DirectoryStore} writes; no key segment may use it. */
    static final String TEMP_PREFIX = ".atoll-tmp-";

    /**
     * Returns {@code key} if it is acceptable.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("store key is empty");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("store key '" + key + "' is absolute");
        }
        if (key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("store key '" + key + "' contains a backslash or NUL");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("store key '" + key + "' has an empty segment");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("store key '" + key + "' has a '" + segment + "' segment");
            }
            if (segment.startsWith(TEMP_PREFIX)) {
                throw new IllegalArgumentException("store key '" + key + "' uses the reserved prefix " + TEMP_PREFIX);
            }
        }
        return key;
    }

    /** Checks a {@code list} prefix: empty (everything) or the start of a valid key. */
    static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("store prefix is null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }
}
