package atoll.dns.zone;

/**
 * What a positive answer carries besides the RRset asked for (configuration key
 * {@code answers.minimal}).
 */
public enum AnswerStyle {
    /**
     * Only what the question needs: the answer and the addresses of the names it points at; the
     * authority section stays empty. NSD with {@code minimal-responses: yes} and Knot answer so.
     */
    MINIMAL,
    /**
     * RFC 1034 §4.3.2 step 4's optional part, as BIND and NSD without {@code minimal-responses}
     * answer: the zone's apex NS RRset in the authority section of a positive answer, and the
     * addresses of those name servers in the additional section. An ANY answer (RFC 8482) stays
     * minimal, as NSD's does.
     */
    WITH_AUTHORITY
}
