package atoll.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.io.ByteArrayInputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;

/** The same master files read by dnsjava's {@code Master} must give the same records. */
class DnsjavaCrossCheckTest {

    @ParameterizedTest
    @CsvSource({"features.zone, example.com.", "example.com.zone, example.com.",
            "sub.example.com.zone, sub.example.com.", "types.zone, example.com."})
    void sameRecordsAsDnsjava(String file, String origin) throws Exception {
        String text = ZoneTestSupport.resource(file);
        Zone ours = ZoneFileParser.parse(text, file, Name.parse(origin));
        Set<ResourceRecord> mine = new HashSet<>();
        for (Name owner : ours.names()) {
            ours.node(owner).values().forEach(mine::addAll);
        }
        List<ResourceRecord> theirs = new ArrayList<>();
        try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                org.xbill.DNS.Name.fromString(origin))) {
            for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
                theirs.add(convert(r));
            }
        }
        assertEquals(theirs.size(), ours.recordCount());
        assertEquals(new HashSet<>(theirs), mine);
    }

    static ResourceRecord convert(Record r) throws Exception {
        Rdata rdata = switch (r) {
            case ARecord a -> new Rdata.A((Inet4Address) a.getAddress());
            // From the wire form: dnsjava turns ::ffff:a.b.c.d into an Inet4Address.
            case AAAARecord a -> new Rdata.AAAA(Inet6Address.getByAddress(null, a.rdataToWireCanonical(), -1));
            case NSRecord ns -> new Rdata.NS(name(ns.getTarget()));
            case CNAMERecord c -> new Rdata.CNAME(name(c.getTarget()));
            case PTRRecord p -> new Rdata.PTR(name(p.getTarget()));
            case MXRecord mx -> new Rdata.MX(mx.getPriority(), name(mx.getTarget()));
            case SRVRecord s -> new Rdata.SRV(s.getPriority(), s.getWeight(), s.getPort(), name(s.getTarget()));
            case SOARecord s -> new Rdata.SOA(name(s.getHost()), name(s.getAdmin()), s.getSerial(), s.getRefresh(),
                    s.getRetry(), s.getExpire(), s.getMinimum());
            case TXTRecord t -> new Rdata.TXT(t.getStringsAsByteArrays().stream()
                    .map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList());
            default -> new Rdata.Unknown(r.getType(), r.rdataToWireCanonical());
        };
        return new ResourceRecord(name(r.getName()), RRClass.IN, r.getTTL(), rdata);
    }

    static Name name(org.xbill.DNS.Name n) {
        return Name.parse(n.toString());
    }
}
