package atoll.https.serve;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Accept-Encoding (RFC 9110 §12.5.3): which content codings a client takes, with q-values. */
final class AcceptEncoding {
    private final Map<String, Double> q = new HashMap<>();
    private final boolean present;

    private AcceptEncoding(boolean present) {
        this.present = present;
    }

    static AcceptEncoding parse(List<String> values) {
        AcceptEncoding a = new AcceptEncoding(!values.isEmpty());
        for (String v : values) {
            for (String item : v.split(",")) {
                String[] parts = item.split(";");
                String coding = parts[0].strip().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                double weight = 1.0;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].strip();
                    if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                        try {
                            weight = Double.parseDouble(p.substring(2));
                        } catch (NumberFormatException bad) {
                            weight = 0; // RFC 9110 §12.4.2: qvalue syntax; unreadable counts as refusal
                        }
                    }
                }
                a.q.put(coding, weight);
            }
        }
        return a;
    }

    /** Whether {@code coding} is acceptable: listed with q > 0, or covered by "*" with q > 0. */
    boolean accepts(String coding) {
        if (!present) {
            return false; // RFC 9110 §12.5.3: no field means any coding, but no coding is the safe choice
        }
        Double w = q.get(coding);
        if (w == null && coding.equals("gzip")) {
            w = q.get("x-gzip"); // RFC 9110 §8.4.1.3: x-gzip is an alias
        }
        if (w == null) {
            w = q.get("*");
        }
        return w != null && w > 0;
    }
}
