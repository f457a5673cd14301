package atoll.conformance.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One query of the corpus. Its {@link #label()} is what the allowlist's query patterns match, e.g.
 * {@code WwW.example.org. A edns+do rd nocd udp}.
 */
record Probe(String name, int type, Edns edns, boolean rd, boolean cd, boolean tcp) {

    /** Whether and how the query carries an OPT record (RFC 6891 §6.1.1; DO: RFC 3225 §3). */
    enum Edns {
        NONE("noedns"), PLAIN("edns"), DO("edns+do");

        final String label;

        Edns(String label) { this.label = label; }
    }

    /** The UDP payload size the corpus advertises: the DNS flag day 2020 value. */
    static final int PAYLOAD = 1232;

    /** The same query over TCP (RFC 1035 §4.2.2). */
    Probe overTcp() {
        return new Probe(name, type, edns, rd, cd, true);
    }

    String label() {
        return name + " " + Type.string(type) + " " + edns.label + " " + (rd ? "rd" : "nord") + " " + (cd ? "cd" : "nocd")
                + " " + (tcp ? "tcp" : "udp");
    }

    Message toMessage(int id) throws TextParseException {
        Message m = new Message(id);
        m.getHeader().setOpcode(org.xbill.DNS.Opcode.QUERY);
        if (rd) m.getHeader().setFlag(Flags.RD);
        if (cd) m.getHeader().setFlag(Flags.CD);
        m.addRecord(Record.newRecord(Name.fromString(name), type, DClass.IN), Section.QUESTION);
        if (edns != Edns.NONE) {
            int flags = edns == Edns.DO ? org.xbill.DNS.ExtendedFlags.DO : 0;
            m.addRecord(new OPTRecord(PAYLOAD, 0, 0, flags), Section.ADDITIONAL);
        }
        return m;
    }
}
