package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.net.InetAddress;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The suite's own parts, without servers: the allowlist format, labels and the comparison. */
class AllowlistTest {

    @Test
    void theShippedAllowlistParsesAndEveryEntryHasAReason() throws IOException {
        Allowlist list = Allowlist.load(DnsDifferentialIT.ALLOWLIST);
        assertTrue(list.entries().size() >= 1);
        for (Allowlist.Entry e : list.entries()) {
            assertTrue(List.of("nsd", "knot", "*").contains(e.peer()), e.toString());
            assertTrue(e.aspect().equals("reply") || e.aspect().equals("rcode") || e.aspect().equals("question")
                    || e.aspect().equals("answer") || e.aspect().equals("authority") || e.aspect().equals("additional")
                    || e.aspect().equals("opt") || e.aspect().startsWith("flag."), e.toString());
        }
    }

    @Test
    void entriesMatchPeerAspectAndLabel() throws IOException {
        Allowlist list = Allowlist.parse("t", """
                # comment
                nsd | additional | ^\\S+ (MX|SRV) | a reason
                """);
        String mx = new Probe("example.org.", Type.MX, Probe.Edns.PLAIN, true, false, false).label();
        assertEquals("example.org. MX edns rd nocd udp", mx);
        assertNotNull(list.covering("nsd", "additional", mx));
        assertNull(list.covering("knot", "additional", mx));
        assertNull(list.covering("nsd", "answer", mx));
        assertNull(list.covering("nsd", "additional", "example.org. A edns rd nocd udp"));
    }

    @Test
    void badLinesAreNamedByLine() {
        IOException noReason = assertThrows(IOException.class, () -> Allowlist.parse("t", "\nnsd | opt | x\n"));
        assertTrue(noReason.getMessage().startsWith("t:2:"), noReason.getMessage());
        IOException badPattern = assertThrows(IOException.class, () -> Allowlist.parse("t", "nsd | opt | ( | why\n"));
        assertTrue(badPattern.getMessage().startsWith("t:1: bad query pattern"), badPattern.getMessage());
    }

    @Test
    void sectionsCompareWithoutOrderOrNameCaseButWithTtls() throws Exception {
        Message one = reply(rr("www.example.org.", 600, "192.0.2.80"), rr("www.example.org.", 600, "192.0.2.81"));
        Message swapped = reply(rr("WWW.example.org.", 600, "192.0.2.81"), rr("www.example.org.", 600, "192.0.2.80"));
        Message otherTtl = reply(rr("www.example.org.", 600, "192.0.2.80"), rr("www.example.org.", 300, "192.0.2.81"));
        assertEquals(List.of(), Observed.of(one).differingAspects(Observed.of(swapped)));
        assertEquals(List.of("answer"), Observed.of(one).differingAspects(Observed.of(otherTtl)));
        assertEquals(List.of("reply", "rcode", "flag.AA", "flag.TC", "flag.RD", "flag.RA", "flag.AD", "flag.CD",
                "question", "answer", "authority", "additional", "opt"), Observed.of(one).differingAspects(Observed.of(null)));
    }

    private static Message reply(Record... answers) throws Exception {
        Message m = new Message(7);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromString("www.example.org."), Type.A, DClass.IN), Section.QUESTION);
        for (Record r : answers) m.addRecord(r, Section.ANSWER);
        return m;
    }

    private static Record rr(String name, long ttl, String address) throws Exception {
        return new ARecord(Name.fromString(name), DClass.IN, ttl, InetAddress.getByName(address));
    }
}
