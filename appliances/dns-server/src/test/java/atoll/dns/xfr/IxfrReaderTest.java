package atoll.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import atoll.dns.zone.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The IXFR client (RFC 1995 §4) on answers built by dnsjava: differences, a whole zone, nothing new. */
class IxfrReaderTest {
    static final int ID = 4242;

    static Record rr(String text) throws Exception {
        String[] f = text.split(" ", 3);
        return Record.fromString(Name.fromString(f[0]), Type.value(f[1]), DClass.IN, 300, f[2], Name.root);
    }

    static Record soa(long serial) throws Exception {
        return rr("example.com. SOA ns1.example.com. hostmaster.example.com. " + serial + " 7200 3600 1209600 300");
    }

    static byte[] message(List<Record> answers) {
        Message m = new Message(ID);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        for (Record r : answers) {
            m.addRecord(r, Section.ANSWER);
        }
        return m.toWire();
    }

    @Test
    void differencesAreAppliedVersionByVersion() throws Exception {
        Zone zone = TransfersTest.bigZone(3, 1);
        IxfrReader reader = new IxfrReader(zone, ID, null, null);
        // Version 1 -> 2: host0's address changes; 2 -> 3: a new name. Split over two messages.
        assertFalse(reader.accept(message(List.of(soa(3), soa(1), rr("host0.example.com. A 192.0.2.1"), soa(2),
                rr("host0.example.com. A 203.0.113.1"))), 0));
        assertTrue(reader.accept(message(List.of(soa(2), soa(3), rr("new.example.com. A 203.0.113.9"), soa(3))), 0));
        assertTrue(reader.incremental());
        assertEquals(3, reader.changes());
        Zone z = reader.zone("test");
        assertEquals(3L, ((Rdata.SOA) z.soa().rdata()).serial());
        assertEquals(zone.recordCount() + 1, z.recordCount());
        assertEquals("203.0.113.1", ((Rdata.A) z.rrset(atoll.dns.wire.Name.parse("host0.example.com."), RRType.A)
                .getFirst().rdata()).address().getHostAddress());
        assertEquals(1, z.rrset(atoll.dns.wire.Name.parse("new.example.com."), RRType.A).size());
    }

    @Test
    void aWholeZoneOrTheSameSoaAreTakenToo() throws Exception {
        Zone zone = TransfersTest.bigZone(3, 1);
        IxfrReader whole = new IxfrReader(zone, ID, null, null);
        assertTrue(whole.accept(message(List.of(soa(5), rr("example.com. NS ns1.example.com."),
                rr("ns1.example.com. A 192.0.2.53"), soa(5))), 0));
        assertFalse(whole.incremental());
        assertEquals(3, whole.zone("test").recordCount()); // SOA, NS, A

        IxfrReader upToDate = new IxfrReader(zone, ID, null, null);
        assertTrue(upToDate.accept(message(List.of(soa(1))), 0));
        assertSame(zone, upToDate.zone("test"));
    }

    @Test
    void inconsistentDifferencesAreRefused() throws Exception {
        Zone zone = TransfersTest.bigZone(3, 1);
        IxfrReader missing = new IxfrReader(zone, ID, null, null);
        assertThrows(TransferReader.TransferException.class, () -> missing.accept(message(List.of(soa(2), soa(1),
                rr("nothere.example.com. A 192.0.2.1"), soa(2), soa(2))), 0));
        IxfrReader backwards = new IxfrReader(zone, ID, null, null);
        assertThrows(TransferReader.TransferException.class, () -> backwards.accept(message(List.of(soa(2), soa(1),
                soa(1), soa(2))), 0));
        IxfrReader cut = new IxfrReader(zone, ID, null, null);
        assertFalse(cut.accept(message(List.of(soa(2), soa(1), soa(2))), 0));
        assertThrows(TransferReader.TransferException.class, () -> cut.zone("test"));
    }
}
