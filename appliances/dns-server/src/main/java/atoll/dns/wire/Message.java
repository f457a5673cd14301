package atoll.dns.wire;

import java.util.List;
import java.util.Objects;

/**
 * A DNS message (RFC 1035 §4.1): header, question, answer, authority and additional sections.
 * Immutable. The OPT pseudo-RR (RFC 6891 §6.1.1) is not a record of {@link #additionals()}: it is
 * held, decoded, in {@link #edns()} (null when the message has none) and written last in the
 * additional section.
 */
public record Message(Header header, List<Question> questions, List<ResourceRecord> answers,
        List<ResourceRecord> authorities, List<ResourceRecord> additionals, Edns edns) {

    public Message {
        Objects.requireNonNull(header);
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
        // RFC 6891 §6.1.1: at most one OPT, in the additional section; it lives in edns().
        for (List<ResourceRecord> section : List.of(answers, authorities, additionals)) {
            for (ResourceRecord rr : section) {
                if (rr.type() == RRType.OPT) {
                    throw new IllegalArgumentException("OPT is not a record of a section; use edns");
                }
            }
        }
    }

    /** A message with only a header and questions. */
    public static Message query(Header header, Question question, Edns edns) {
        return new Message(header, List.of(question), List.of(), List.of(), List.of(), edns);
    }

    /**
     * The full RCODE: the header's 4 bits plus, with EDNS, the OPT record's upper 8 bits (RFC 6891
     * §6.1.3: "EXTENDED-RCODE ... Forms the upper 8 bits of extended 12-bit RCODE").
     */
    public int rcode() {
        return (edns == null ? 0 : edns.extendedRcodeHigh() << 4) | header.rcode();
    }

    /** Roughly dig's output, for logs and test failures. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(";; ->>HEADER<<- opcode: ").append(opcodeName(header.opcode()))
                .append(", status: ").append(Rcode.name(rcode()))
                .append(", id: ").append(header.id()).append('\n');
        sb.append(";; flags:").append(header.flagText())
                .append("; QUERY: ").append(questions.size())
                .append(", ANSWER: ").append(answers.size())
                .append(", AUTHORITY: ").append(authorities.size())
                .append(", ADDITIONAL: ").append(additionals.size() + (edns == null ? 0 : 1)).append('\n');
        if (edns != null) {
            sb.append("\n;; OPT PSEUDOSECTION:\n").append(edns).append('\n');
        }
        if (!questions.isEmpty()) {
            sb.append("\n;; QUESTION SECTION:\n");
            for (Question q : questions) {
                sb.append(q).append('\n');
            }
        }
        section(sb, "ANSWER", answers);
        section(sb, "AUTHORITY", authorities);
        section(sb, "ADDITIONAL", additionals);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<ResourceRecord> rrs) {
        if (rrs.isEmpty()) {
            return;
        }
        sb.append("\n;; ").append(title).append(" SECTION:\n");
        for (ResourceRecord rr : rrs) {
            sb.append(Presentation.record(rr)).append('\n');
        }
    }

    private static String opcodeName(int opcode) {
        return switch (opcode) {
            case Opcode.QUERY -> "QUERY";
            case Opcode.IQUERY -> "IQUERY";
            case Opcode.STATUS -> "STATUS";
            case Opcode.NOTIFY -> "NOTIFY";
            case Opcode.UPDATE -> "UPDATE";
            default -> "OPCODE" + opcode;
        };
    }
}
