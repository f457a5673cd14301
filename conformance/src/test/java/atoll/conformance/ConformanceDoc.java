package atoll.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features an appliance's CONFORMANCE.md lists, as far as its shape shows them: the first cell
 * of each row of a table whose first column is headed {@code area} or {@code feature}, and the
 * bold phrase a bullet starts with ({@code - **No TSIG** ...}, the way the files state what is not
 * done). Prose and other tables (allowlists, testssl exceptions) are not items.
 */
public record ConformanceDoc(Path path, String text, List<Item> items) {

    /** One listed feature: its words (without the bold markers), whether bold, its line. */
    public record Item(String text, boolean bold, int line) {}

    static final Set<String> FEATURE_COLUMNS = Set.of("area", "feature");
    static final Pattern BOLD = Pattern.compile("^\\*\\*(.+?)\\*\\*");

    public static ConformanceDoc read(Path path) throws IOException {
        String text = Files.readString(path);
        List<String> lines = text.lines().toList();
        List<Item> items = new ArrayList<>();
        boolean featureTable = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("|")) {
                String first = firstCell(line);
                if (i + 1 < lines.size() && lines.get(i + 1).matches("\\|[-:| ]+\\|\\s*")) {
                    featureTable = FEATURE_COLUMNS.contains(first); // a header row
                } else if (featureTable && !line.matches("\\|[-:| ]+\\|\\s*")) {
                    boolean bold = first.length() > 4 && first.startsWith("**") && first.endsWith("**");
                    items.add(new Item(bold ? first.substring(2, first.length() - 2) : first, bold, i + 1));
                }
                continue;
            }
            featureTable = false;
            if (line.startsWith("- **")) {
                // The bullet with its continuation lines, so a bold phrase may wrap.
                StringBuilder b = new StringBuilder(line.substring(2));
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("  ") && !lines.get(j).isBlank(); j++) {
                    b.append(' ').append(lines.get(j).strip());
                }
                Matcher bold = BOLD.matcher(b);
                if (bold.find()) {
                    items.add(new Item(bold.group(1), true, i + 1));
                }
            }
        }
        return new ConformanceDoc(path, text, List.copyOf(items));
    }

    private static String firstCell(String row) {
        String[] cells = row.split("\\|", -1);
        return cells.length > 1 ? cells[1].strip() : "";
    }

    /** Whether {@code words} stand in the file: as an item, or verbatim anywhere (wrapped lines joined). */
    public boolean mentions(String words) {
        return items.stream().anyMatch(i -> i.text().equals(words))
                || text.contains(words) || text.replaceAll("\\s*\n\\s*", " ").contains(words);
    }
}
