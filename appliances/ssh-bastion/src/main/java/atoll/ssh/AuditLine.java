package atoll.ssh;

/** Builds one JSON object on one line (RFC 8259), the audit log's record format. */
final class AuditLine {
    private final StringBuilder b = new StringBuilder(256).append('{');

    AuditLine put(String name, String value) {
        key(name);
        if (value == null) {
            b.append("null");
        } else {
            string(value);
        }
        return this;
    }

    AuditLine put(String name, long value) {
        key(name);
        b.append(value);
        return this;
    }

    private void key(String name) {
        if (b.length() > 1) {
            b.append(',');
        }
        string(name);
        b.append(':');
    }

    private void string(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    // RFC 8259 §7: control characters MUST be escaped.
                    if (c < 0x20 || c == 0x7f || (c >= 0x2028 && c <= 0x2029)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public String toString() {
        return b + "}";
    }
}
