package atoll.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subset of YAML that deploy/k8s is written in, and rejects the rest with the line
 * number (so a manifest written outside the subset fails its test instead of being half read):
 * documents separated by {@code ---}, block mappings and block sequences by indentation, plain,
 * single- and double-quoted scalars, literal block scalars ({@code |}), whole-line comments.
 * No flow collections, anchors, aliases, tags or multi-line plain scalars. Scalars stay strings.
 */
final class MiniYaml {
    private record Line(int number, int indent, String text) {}

    private final List<String> raw;
    private int at;

    private MiniYaml(List<String> raw) {
        this.raw = raw;
    }

    /** Every non-empty document of {@code text}, each a mapping. */
    static List<Map<String, Object>> documents(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.equals("---")) {
                addDocument(docs, current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        addDocument(docs, current);
        return docs;
    }

    private static void addDocument(List<Map<String, Object>> docs, List<String> lines) {
        MiniYaml y = new MiniYaml(lines);
        Line first = y.peek();
        if (first == null) return;
        if (first.indent() != 0) throw y.error(first, "a document starts at column 0");
        Object doc = y.block(0);
        if (y.peek() != null) throw y.error(y.peek(), "unexpected indentation");
        if (!(doc instanceof Map<?, ?>)) throw y.error(first, "a document must be a mapping");
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) doc;
        docs.add(map);
    }

    /** The next line that is not blank and not a comment, without consuming it. */
    private Line peek() {
        while (at < raw.size()) {
            String s = raw.get(at);
            String t = s.strip();
            if (t.isEmpty() || t.startsWith("#")) { at++; continue; }
            int indent = 0;
            while (s.charAt(indent) == ' ') indent++;
            if (s.charAt(indent) == '\t') throw error(new Line(at + 1, indent, t), "tab in indentation");
            return new Line(at + 1, indent, s.substring(indent).stripTrailing());
        }
        return null;
    }

    private Object block(int indent) {
        Line l = peek();
        return l.text().startsWith("-") ? sequence(l.indent()) : mapping(l.indent(), null);
    }

    private Map<String, Object> mapping(int indent, String firstEntry) {
        Map<String, Object> map = new LinkedHashMap<>();
        String pending = firstEntry;
        while (true) {
            Line l;
            if (pending != null) {
                l = new Line(at, indent, pending);
                pending = null;
            } else {
                l = peek();
                if (l == null || l.indent() < indent) return map;
                if (l.indent() > indent) throw error(l, "unexpected indentation");
                if (l.text().startsWith("- ") || l.text().equals("-")) return map;
                at++;
            }
            int colon = keyEnd(l);
            String key = l.text().substring(0, colon);
            String rest = l.text().substring(colon + 1).strip();
            if (map.containsKey(key)) throw error(l, "duplicate key " + key);
            if (rest.isEmpty()) {
                Line next = peek();
                if (next == null || next.indent() <= indent) throw error(l, "key " + key + " has no value");
                map.put(key, block(next.indent()));
            } else if (rest.equals("|")) {
                map.put(key, literal(indent));
            } else {
                map.put(key, scalar(l, rest));
            }
        }
    }

    private List<Object> sequence(int indent) {
        List<Object> list = new ArrayList<>();
        while (true) {
            Line l = peek();
            if (l == null || l.indent() < indent) return list;
            if (l.indent() > indent || !(l.text().startsWith("- ") || l.text().equals("-"))) {
                throw error(l, "expected a sequence item at column " + indent);
            }
            at++;
            String rest = l.text().substring(1).strip();
            if (rest.isEmpty()) {
                Line next = peek();
                if (next == null || next.indent() <= indent) throw error(l, "empty sequence item");
                list.add(block(next.indent()));
            } else if (isMappingEntry(rest)) {
                list.add(mapping(indent + 2, rest));
            } else {
                list.add(scalar(l, rest));
            }
        }
    }

    /** A literal block scalar: the following lines indented deeper, the common indent removed. */
    private String literal(int parentIndent) {
        StringBuilder out = new StringBuilder();
        int blockIndent = -1;
        while (at < raw.size()) {
            String s = raw.get(at);
            if (s.isBlank()) { out.append('\n'); at++; continue; }
            int indent = 0;
            while (indent < s.length() && s.charAt(indent) == ' ') indent++;
            if (indent <= parentIndent) break;
            if (blockIndent < 0) blockIndent = indent;
            if (indent < blockIndent) throw error(new Line(at + 1, indent, s), "literal block line indented less than its first line");
            out.append(s.substring(blockIndent)).append('\n');
            at++;
        }
        // Clip chomping: one final line break.
        String text = out.toString().replaceAll("\n+$", "");
        return text.isEmpty() ? "" : text + "\n";
    }

    private static boolean isMappingEntry(String text) {
        if (text.startsWith("\"") || text.startsWith("'")) return false;
        int c = text.indexOf(':');
        return c > 0 && (c == text.length() - 1 || text.charAt(c + 1) == ' ');
    }

    private int keyEnd(Line l) {
        if (!isMappingEntry(l.text())) throw error(l, "expected 'key: value'");
        int c = l.text().indexOf(':');
        String key = l.text().substring(0, c);
        if (!key.matches("[A-Za-z0-9_.\\-/]+")) throw error(l, "key outside the subset: " + key);
        return c;
    }

    private String scalar(Line l, String text) {
        if (text.startsWith("\"")) {
            if (!text.endsWith("\"") || text.length() < 2) throw error(l, "unterminated double-quoted scalar");
            String body = text.substring(1, text.length() - 1);
            if (body.matches(".*(?<!\\\\)\".*")) throw error(l, "unescaped quote in a scalar");
            return body.replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (text.startsWith("'")) {
            if (!text.endsWith("'") || text.length() < 2) throw error(l, "unterminated single-quoted scalar");
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        int comment = text.indexOf(" #");
        String plain = comment >= 0 ? text.substring(0, comment).strip() : text;
        if (plain.isEmpty() || "{[&*!|>%@`".indexOf(plain.charAt(0)) >= 0) {
            throw error(l, "value outside the subset: " + plain);
        }
        return plain;
    }

    private IllegalArgumentException error(Line l, String what) {
        return new IllegalArgumentException("line " + l.number() + ": " + what + ": " + l.text());
    }
}
