package atoll.ssh;

import atoll.libos.config.ValueType;

/** A number of octets with an optional K, M or G suffix (powers of 1024), as sshd's RekeyLimit. */
final class ByteSize implements ValueType<Long> {
    static final ByteSize TYPE = new ByteSize();

    @Override
    public Long parse(String raw) {
        String s = raw.strip();
        long unit = 1;
        char last = s.isEmpty() ? ' ' : Character.toUpperCase(s.charAt(s.length() - 1));
        switch (last) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            default -> { }
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        long n = Long.parseLong(s);
        // RFC 4253 §9 is about re-keying after much data; below 16 KiB every packet would re-key.
        if (n <= 0 || n > (1L << 40) / unit || n * unit < 16 * 1024) {
            throw new IllegalArgumentException("out of range");
        }
        return n * unit;
    }

    @Override
    public String format(Long value) {
        if (value % (1L << 30) == 0) {
            return (value >> 30) + "G";
        }
        if (value % (1L << 20) == 0) {
            return (value >> 20) + "M";
        }
        if (value % (1L << 10) == 0) {
            return (value >> 10) + "K";
        }
        return value.toString();
    }

    @Override
    public String accepted() {
        return "a size from 16K to 1024G, in octets or with a K, M or G suffix";
    }

    @Override
    public String name() {
        return "size";
    }
}
