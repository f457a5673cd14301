package atoll.dns.zone;

/**
 * A master file that cannot be loaded. The message is one line, {@code source:line: what is wrong}
 * (the form compilers and BIND's named-checkzone use), so it can be shown as is and an editor can
 * jump to the place.
 */
public final class ZoneFileException extends Exception {
    private final String source;
    private final int line;
    private final String problem;

    /**
     * @param source the file name as given to the parser
     * @param line 1-based line number the problem is reported at
     * @param problem what is wrong, without location; control and line-breaking characters in it
     *     (often from a quoted token) are shown as {@code \DDD} escapes, see {@link #problem()}
     */
    public ZoneFileException(String source, int line, String problem) {
        super(source + ":" + line + ": " + oneLine(problem));
        this.source = source;
        this.line = line;
        this.problem = oneLine(problem);
    }

    /**
     * The problem text with every C0 control, DEL, NEL and the Unicode line and paragraph separators
     * written as RFC 1035 §5.1 {@code \DDD} escapes of their octets (the form the master file could
     * have used), so that a token that carries a form feed or the like cannot break the message's
     * one line. Above Latin-1 (text an embedder wrote, not a file's octets) the octets are the
     * UTF-8 ones.
     */
    static String oneLine(String problem) {
        StringBuilder sb = null;
        for (int i = 0; i < problem.length(); i++) {
            char c = problem.charAt(i);
            boolean escape = c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029';
            if (escape && sb == null) {
                sb = new StringBuilder(problem.length() + 8).append(problem, 0, i);
            }
            if (escape) {
                for (byte b : String.valueOf(c).getBytes(c <= 0xff
                        ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append('\\').append(String.format("%03d", b & 0xff));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? problem : sb.toString();
    }

    /** The file name given to the parser. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem is reported at. */
    public int line() {
        return line;
    }

    /** What is wrong, without the {@code source:line: } prefix, control characters escaped. */
    public String problem() {
        return problem;
    }
}
