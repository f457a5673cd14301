package atoll.dns.wire;

import java.util.Objects;

/**
 * An entry of the question section (RFC 1035 §4.1.2): QNAME, QTYPE, QCLASS.
 *
 * @param type a TYPE or QTYPE value ({@link RRType})
 * @param qclass a CLASS or QCLASS value ({@link RRClass})
 */
public record Question(Name name, int type, int qclass) {
    public Question {
        Objects.requireNonNull(name);
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("QTYPE out of 16-bit range: " + type);
        }
        if (qclass < 0 || qclass > 0xffff) {
            throw new IllegalArgumentException("QCLASS out of 16-bit range: " + qclass);
        }
    }

    /** {@code ;name. IN A}, as dig prints a question. */
    @Override
    public String toString() {
        return ";" + name + "\t\t" + RRClass.name(qclass) + "\t" + RRType.name(type);
    }
}
