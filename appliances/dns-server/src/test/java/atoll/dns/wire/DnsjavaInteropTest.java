package atoll.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Our codec against an independent one (dnsjava): each parses what the other writes. */
class DnsjavaInteropTest {

    static org.xbill.DNS.Name dj(String name) throws Exception {
        return org.xbill.DNS.Name.fromString(name);
    }

    /** The same response built with dnsjava's API. */
    static org.xbill.DNS.Message dnsjavaResponse() throws Exception {
        org.xbill.DNS.Name zone = dj("Example.com.");
        org.xbill.DNS.Message m = new org.xbill.DNS.Message(0xbeef);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(zone, Type.ANY, DClass.IN), Section.QUESTION);
        m.addRecord(new ARecord(zone, DClass.IN, 300, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        m.addRecord(new AAAARecord(zone, DClass.IN, 300, InetAddress.getByName("2001:db8::1")), Section.ANSWER);
        m.addRecord(new CNAMERecord(dj("www.example.com."), DClass.IN, 300, zone), Section.ANSWER);
        m.addRecord(new PTRRecord(dj("1.2.0.192.in-addr.arpa."), DClass.IN, 300, zone), Section.ANSWER);
        m.addRecord(new MXRecord(zone, DClass.IN, 300, 10, dj("mail.example.com.")), Section.ANSWER);
        m.addRecord(new TXTRecord(zone, DClass.IN, 300, List.of("v=spf1 -all", "", "x".repeat(255))), Section.ANSWER);
        m.addRecord(new SRVRecord(dj("_sip._udp.example.com."), DClass.IN, 300, 0, 5, 5060, dj("sip.example.com.")),
                Section.ANSWER);
        m.addRecord(new NSRecord(zone, DClass.IN, 3600, dj("ns1.example.com.")), Section.AUTHORITY);
        m.addRecord(new SOARecord(zone, DClass.IN, 3600, dj("ns1.example.com."), dj("hostmaster.example.com."),
                2026112701L, 7200, 3600, 1209600, 300), Section.AUTHORITY);
        m.addRecord(new ARecord(dj("ns1.example.com."), DClass.IN, 3600, InetAddress.getByName("192.0.2.53")),
                Section.ADDITIONAL);
        m.addRecord(new OPTRecord(1232, 0, 0, Flags.DO,
                List.<EDNSOption>of(new GenericEDNSOption(65001, new byte[] {1, 2, 3}))), Section.ADDITIONAL);
        return m;
    }

    @Test
    void weParseWhatDnsjavaWrites() throws Exception {
        org.xbill.DNS.Message theirs = dnsjavaResponse();
        byte[] wire = theirs.toWire();
        Message ours = MessageReader.parse(wire);

        assertEquals(0xbeef, ours.header().id());
        assertEquals(new Question(Name.parse("example.com."), RRType.ANY, RRClass.IN), ours.questions().getFirst());
        assertEquals(new Edns(1232, 0, 0, true, List.of(new EdnsOption(65001, new byte[] {1, 2, 3}))), ours.edns());
        assertSameRecords(theirs, Section.ANSWER, ours.answers());
        assertSameRecords(theirs, Section.AUTHORITY, ours.authorities());
        assertSameRecords(theirs, Section.ADDITIONAL, ours.additionals());
    }

    @Test
    void dnsjavaParsesWhatWeWrite() throws Exception {
        Message ours = MessageReader.parse(dnsjavaResponse().toWire());
        org.xbill.DNS.Message theirs = new org.xbill.DNS.Message(MessageWriter.toBytes(ours));
        assertEquals(0xbeef, theirs.getHeader().getID());
        assertEquals(Flags.DO, theirs.getOPT().getFlags());
        assertEquals(1232, theirs.getOPT().getPayloadSize());
        assertSameRecords(theirs, Section.ANSWER, ours.answers());
        assertSameRecords(theirs, Section.AUTHORITY, ours.authorities());
        assertSameRecords(theirs, Section.ADDITIONAL, ours.additionals());
    }

    @Test
    void dnsjavaParsesRandomMessagesWeWrite() throws Exception {
        // Only the types both model, so dnsjava does not reject our random opaque RDATA as, say, HINFO.
        MessageGenerator gen = new MessageGenerator(RoundTripPropertyTest.SEED);
        int checked = 0;
        for (int i = 0; i < RoundTripPropertyTest.MESSAGES; i++) {
            Message m = gen.next();
            if (!onlyCommonTypes(m)) {
                continue;
            }
            org.xbill.DNS.Message theirs = new org.xbill.DNS.Message(MessageWriter.toBytes(m));
            assertSameRecords(theirs, Section.ANSWER, m.answers());
            assertSameRecords(theirs, Section.AUTHORITY, m.authorities());
            assertSameRecords(theirs, Section.ADDITIONAL, m.additionals());
            checked++;
        }
        assertEquals(true, checked > 100, "messages checked: " + checked);
    }

    private static boolean onlyCommonTypes(Message m) {
        for (List<ResourceRecord> s : List.of(m.answers(), m.authorities(), m.additionals())) {
            for (ResourceRecord rr : s) {
                if (rr.rdata() instanceof Rdata.Unknown || rr.rrClass() == RRClass.ANY || rr.rrClass() == RRClass.NONE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Same owner, type, class, TTL and RDATA octets (dnsjava's canonical, uncompressed RDATA). */
    private static void assertSameRecords(org.xbill.DNS.Message theirs, int section, List<ResourceRecord> ours)
            throws Exception {
        List<Record> records = theirs.getSection(section).stream().filter(r -> r.getType() != Type.OPT).toList();
        assertEquals(records.size(), ours.size(), "section " + section);
        for (int i = 0; i < ours.size(); i++) {
            Record r = records.get(i);
            ResourceRecord rr = ours.get(i);
            assertEquals(Name.parse(r.getName().toString()), rr.name());
            assertEquals(r.getType(), rr.type());
            assertEquals(r.getDClass(), rr.rrClass());
            assertEquals(r.getTTL(), rr.ttl());
            assertEquals(Wire.hex(r.rdataToWireCanonical()), Wire.hex(canonicalRdata(rr)), r.toString());
        }
    }

    /** Our RDATA octets, uncompressed and lower-cased where RFC 4034 §6.2 says so, via dnsjava. */
    private static byte[] canonicalRdata(ResourceRecord rr) throws Exception {
        // Write the record alone (no compression targets before it but its owner), let dnsjava read it.
        Message single = new Message(Header.query(0, 0, false), List.of(), List.of(rr), List.of(), List.of(), null);
        org.xbill.DNS.Message m = new org.xbill.DNS.Message(MessageWriter.toBytes(single));
        return m.getSection(Section.ANSWER).getFirst().rdataToWireCanonical();
    }
}
