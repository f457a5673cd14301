package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import atoll.dns.wire.Name;
import atoll.dns.wire.Presentation;
import atoll.dns.wire.ResourceRecord;
import atoll.dns.wire.RRType;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image serves every record type of {@code zone/types.zone} (DNAME, NAPTR, CAA, SSHFP,
 * TLSA, DS, DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM), read through an {@code $INCLUDE}, and ISC
 * dig shows each RRset as the presentation form we write (whitespace and case aside: dig splits
 * Base64 and hex into groups). Loopback only; every wait is bounded.
 */
class RecordTypesDigIT {
    @TempDir Path tmp;

    @BeforeAll
    static void imageIsBuilt() {
        ImageIT.imageIsBuilt();
    }

    @Test
    void digReadsEveryTypeAsWeWriteIt() throws Exception {
        byte[] types;
        try (InputStream in = RecordTypesDigIT.class.getResourceAsStream("/atoll/dns/zone/types.zone")) {
            types = in.readAllBytes();
        }
        Files.write(tmp.resolve("types.inc"), types);
        Path zone = tmp.resolve("example.com.zone");
        Files.writeString(zone, "$INCLUDE types.inc\n");
        Zone ours = ZoneFileParser.parse(types, "types.zone", Name.parse("example.com."));

        int port = ImageIT.freePort();
        Path log = tmp.resolve("server.log");
        Process p = new ProcessBuilder(ImageIT.LAUNCHER.toString(), "--listen=127.0.0.1", "--port=" + port,
                "--state.dir=" + tmp.resolve("state"), "--zones=example.com.=" + zone)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            ResilienceIT.awaitLine(p, log, " ready on target ");
            int checked = 0;
            for (Name owner : ours.names()) {
                for (Map.Entry<Integer, List<ResourceRecord>> set : ours.node(owner).entrySet()) {
                    int type = set.getKey();
                    if (type < RRType.NAPTR || type == RRType.AAAA) {
                        continue; // the RFC 1035 types are covered by DigIT
                    }
                    List<String> expected = set.getValue().stream()
                            .map(rr -> normal(Presentation.rdata(rr.rdata()))).sorted().toList();
                    List<String> got = ResilienceIT.dig(port, "@127.0.0.1", "+short", owner.toString(),
                            RRType.name(type)).lines().map(RecordTypesDigIT::normal).sorted().toList();
                    assertEquals(expected, got, owner + " " + RRType.name(type));
                    checked++;
                }
            }
            assertEquals(11, checked, "one RRset of each new type");
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.readString(log).contains("ERROR"), Files.readString(log));
    }

    static String normal(String presentation) {
        return presentation.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
