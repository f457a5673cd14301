package atoll.socket;

import atoll.libos.config.ValueType;

/** {@code socket.batch}: {@code off} (read as 0) or a number of datagrams from 1 to {@code max}. */
record BatchSize(int max) implements ValueType<Integer> {

    @Override
    public Integer parse(String raw) {
        String v = raw.strip();
        if (v.equalsIgnoreCase("off")) {
            return 0;
        }
        return new IntRange("count", 1, max).parse(v);
    }

    @Override
    public String format(Integer value) {
        return value == 0 ? "off" : Integer.toString(value);
    }

    @Override
    public String accepted() {
        return "off, or an integer from 1 to " + max;
    }

    @Override
    public String name() {
        return "count";
    }
}
