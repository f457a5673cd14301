package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Ports;
import atoll.dns.wire.Name;
import atoll.dns.wire.Presentation;
import atoll.dns.wire.RRType;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image serves every record type of the dns-server module's test zone
 * {@code zone/types.zone} (DNAME, NAPTR, CAA, SSHFP, TLSA, DS, DNSKEY, RRSIG, NSEC, NSEC3,
 * NSEC3PARAM), read through an {@code $INCLUDE}, and ISC dig shows each RRset as the presentation
 * form the appliance's own code writes (whitespace and case aside: dig splits Base64 and hex into
 * groups). Loopback only; every wait is bounded.
 */
@Tag("dns-server")
@Tag("socket")
class RecordTypesDigIT {
    /** The zone the module's unit tests read too (failsafe passes its path). */
    static final Path TYPES_ZONE = Path.of(System.getProperty("atoll.dns.types.zone",
            "../appliances/dns-server/src/test/resources/atoll/dns/zone/types.zone"));

    @TempDir Path tmp;

    @Test
    @Feature("record-types-data")
    void digReadsEveryTypeAsWeWriteIt() throws Exception {
        Dns.IMAGE.requireBuilt();
        byte[] types = Files.readAllBytes(TYPES_ZONE);
        Files.write(tmp.resolve("types.inc"), types);
        Path zone = tmp.resolve("example.com.zone");
        Files.writeString(zone, "$INCLUDE types.inc\n");
        Zone ours = ZoneFileParser.parse(types, "types.zone", Name.parse("example.com."));

        int port = Ports.freeTcpAndUdp();
        try (ImageProcess p = Dns.IMAGE.start(tmp.resolve("server.log"), "--listen=127.0.0.1", "--port=" + port,
                "--state.dir=" + tmp.resolve("state"), "--zones=example.com.=" + zone)) {
            p.awaitReady();
            int checked = 0;
            for (Name owner : ours.names()) {
                for (Map.Entry<Integer, List<ResourceRecord>> set : ours.node(owner).entrySet()) {
                    int type = set.getKey();
                    if (type < RRType.NAPTR || type == RRType.AAAA) {
                        continue; // the RFC 1035 types are covered by DigIT
                    }
                    List<String> expected = set.getValue().stream()
                            .map(rr -> normal(Presentation.rdata(rr.rdata()))).sorted().toList();
                    List<String> got = Dns.dig(port, "@127.0.0.1", "+short", owner.toString(), RRType.name(type))
                            .lines().map(RecordTypesDigIT::normal).sorted().toList();
                    assertEquals(expected, got, owner + " " + RRType.name(type));
                    checked++;
                }
            }
            assertEquals(11, checked, "one RRset of each new type");
            assertFalse(p.log().contains("ERROR"), p.log());
        }
    }

    static String normal(String presentation) {
        return presentation.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
