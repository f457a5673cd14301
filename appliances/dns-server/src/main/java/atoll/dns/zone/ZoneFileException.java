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
     * @param problem what is wrong, without location
     */
    public ZoneFileException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file name given to the parser. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem is reported at. */
    public int line() {
        return line;
    }

    /** What is wrong, without the {@code source:line: } prefix. */
    public String problem() {
        return problem;
    }
}
