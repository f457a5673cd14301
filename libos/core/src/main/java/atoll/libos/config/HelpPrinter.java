package atoll.libos.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code --help}: a usage line, then every key in its group (runtime, target, appliance)
 * with its type, default and one-line doc, in aligned columns.
 */
public final class HelpPrinter {
    private HelpPrinter() {}

    /**
     * @param command the command name for the usage line ({@code dns-server})
     * @param groups group title to keys, in display order
     * @return the help text, lines ending in {@code \n}
     */
    public static String render(String command, Map<String, List<ConfigKey<?>>> groups) {
        StringBuilder out = new StringBuilder();
        out.append("usage: ").append(command).append(" [--help] [--version] [--config=FILE] [--key=value ...]\n");
        out.append("\nEach key can be set in the config file as 'key = value' or on the command line as --key=value;\n");
        out.append("the command line wins.\n");

        List<String[]> rows = new ArrayList<>();
        for (List<ConfigKey<?>> keys : groups.values()) {
            for (ConfigKey<?> k : keys) {
                rows.add(row(k));
            }
        }
        int[] width = {"KEY".length(), "TYPE".length(), "DEFAULT".length()};
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        int at = 0;
        for (Map.Entry<String, List<ConfigKey<?>>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            out.append('\n').append(g.getKey()).append(" keys:\n");
            out.append("  ").append(pad("KEY", width[0])).append("  ").append(pad("TYPE", width[1]))
                    .append("  ").append(pad("DEFAULT", width[2])).append("  DESCRIPTION\n");
            for (int n = 0; n < g.getValue().size(); n++) {
                String[] r = rows.get(at++);
                out.append("  ").append(pad(r[0], width[0])).append("  ").append(pad(r[1], width[1]))
                        .append("  ").append(pad(r[2], width[2])).append("  ").append(r[3]);
                // Trailing spaces from padding an empty last column would be noise.
                while (out.charAt(out.length() - 1) == ' ') {
                    out.setLength(out.length() - 1);
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static <T> String[] row(ConfigKey<T> k) {
        String def = k.type().format(k.defaultValue());
        return new String[] {k.name(), k.type().name(), def.isEmpty() ? "\"\"" : def, k.doc()};
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
