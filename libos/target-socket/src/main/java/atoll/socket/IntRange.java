package atoll.socket;

import atoll.libos.config.ValueType;

/**
 * An integer from {@code min} to {@code max} inclusive. Private to this target: the shared value
 * types live in libos core, which this module does not extend.
 */
record IntRange(String name, int min, int max) implements ValueType<Integer> {

    IntRange {
        if (min > max) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
    }

    @Override
    public Integer parse(String raw) {
        int v;
        try {
            v = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: " + raw, e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " not in " + min + ".." + max);
        }
        return v;
    }

    @Override
    public String format(Integer value) {
        return Integer.toString(value);
    }

    @Override
    public String accepted() {
        return "an integer from " + min + " to " + max;
    }
}
