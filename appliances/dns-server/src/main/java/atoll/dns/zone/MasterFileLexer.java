package atoll.dns.zone;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an RFC 1035 §5.1 master file into entries (one logical line each) of tokens.
 *
 * <p>RFC 1035 §5.1: "Parentheses are used to group data that crosses a line boundary. In effect,
 * line terminations are not recognized within parentheses." and "Semicolon is used to start a
 * comment; the remainder of the line is ignored." Comments inside parentheses therefore end at the
 * end of their physical line and the entry goes on.
 *
 * <p>The text is the file's octets, one {@code char} (0-255) each (see
 * {@link ZoneFileParser#parse(byte[], String, atoll.dns.wire.Name)}): only the ASCII delimiters
 * below mean anything here, every other octet is token or comment content.
 *
 * <p>Escapes ({@code \X}, {@code \DDD}) are kept verbatim in a token's text: a name goes to
 * {@link atoll.dns.wire.Name#parse} which decodes them, a character-string is decoded by the parser.
 * An escaped character never delimits a token.
 */
final class MasterFileLexer {
    private MasterFileLexer() {}

    /** A token: its raw text (escapes kept), whether it was quoted, the line it starts on. */
    record Token(String text, boolean quoted, int line) {}

    /**
     * One logical line.
     *
     * @param line the physical line it starts on
     * @param blankOwner RFC 1035 §5.1: "If [a line begins] with a blank, then the owner is assumed to
     *     be the same as that of the previous RR."
     */
    record Entry(int line, boolean blankOwner, List<Token> tokens) {}

    static List<Entry> entries(String text, String source) throws ZoneFileException {
        List<Entry> out = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        int n = text.length();
        int line = 1;
        int depth = 0;
        int parenLine = 0;
        int entryLine = 1;
        boolean blankOwner = false;
        boolean lineStart = true;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (lineStart && depth == 0) {
                blankOwner = c == ' ' || c == '\t';
                entryLine = line;
                lineStart = false;
            }
            switch (c) {
                case '\n' -> {
                    line++;
                    i++;
                    if (depth == 0) {
                        if (!tokens.isEmpty()) {
                            out.add(new Entry(entryLine, blankOwner, List.copyOf(tokens)));
                            tokens.clear();
                        }
                        lineStart = true;
                    }
                }
                case ' ', '\t', '\r' -> i++;
                case ';' -> {
                    while (i < n && text.charAt(i) != '\n') {
                        i++;
                    }
                }
                case '(' -> {
                    if (depth > 0) {
                        // BIND refuses nesting too; a second '(' is almost always a typo.
                        throw new ZoneFileException(source, line, "nested '(' (the one on line "
                                + parenLine + " is still open)");
                    }
                    depth = 1;
                    parenLine = line;
                    i++;
                }
                case ')' -> {
                    if (depth == 0) {
                        throw new ZoneFileException(source, line, "')' without a matching '('");
                    }
                    depth = 0;
                    i++;
                }
                case '"' -> {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n || text.charAt(i) == '\n') {
                            // A quoted string does not span lines (BIND: "unbalanced quotes").
                            throw new ZoneFileException(source, line, "unterminated quoted string");
                        }
                        char d = text.charAt(i);
                        if (d == '"') {
                            i++;
                            break;
                        }
                        if (d == '\\') {
                            if (i + 1 >= n || text.charAt(i + 1) == '\n') {
                                throw new ZoneFileException(source, line, "unterminated quoted string");
                            }
                            sb.append(d).append(text.charAt(i + 1));
                            i += 2;
                        } else {
                            sb.append(d);
                            i++;
                        }
                    }
                    tokens.add(new Token(sb.toString(), true, line));
                }
                default -> {
                    StringBuilder sb = new StringBuilder();
                    while (i < n) {
                        char d = text.charAt(i);
                        if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == ';' || d == '('
                                || d == ')' || d == '"') {
                            break;
                        }
                        if (d == '\\') {
                            if (i + 1 >= n || text.charAt(i + 1) == '\n') {
                                throw new ZoneFileException(source, line, "'\\' at the end of a line");
                            }
                            sb.append(d).append(text.charAt(i + 1));
                            i += 2;
                        } else {
                            sb.append(d);
                            i++;
                        }
                    }
                    tokens.add(new Token(sb.toString(), false, line));
                }
            }
        }
        if (depth > 0) {
            // Reported where the '(' opened: that is where the missing ')' belongs, while EOF
            // could be hundreds of records later.
            throw new ZoneFileException(source, parenLine, "'(' is never closed");
        }
        if (!tokens.isEmpty()) {
            out.add(new Entry(entryLine, blankOwner, List.copyOf(tokens)));
        }
        return out;
    }
}
