package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.zone.Zone;
import atoll.libos.runtime.StartupException;
import atoll.libos.store.DirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code $INCLUDE} through {@link ZoneLoader}: read in place, and confined to the zone's directory. */
class ZoneIncludeTest {
    static final String MAIN = """
            $ORIGIN example.com.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
              IN NS ns1
            ns1 IN A 192.0.2.53
            """;

    @TempDir
    Path dir;

    Zone load(String mainText) throws Exception {
        Path zones = Files.createDirectories(dir.resolve("zones"));
        Files.writeString(zones.resolve("example.com.zone"), mainText);
        return ZoneLoader.load(List.of(new ZoneSource(Name.parse("example.com."),
                zones.resolve("example.com.zone").toString())), DirectoryStore.open(dir)).zones()
                .find(Name.parse("example.com."));
    }

    @Test
    void includedRecordsAreReadInPlaceWithTheirOwnOrigin() throws Exception {
        Path zones = Files.createDirectories(dir.resolve("zones"));
        Files.createDirectories(zones.resolve("parts"));
        Files.writeString(zones.resolve("parts/hosts.inc"), "www IN A 192.0.2.80\n");
        Zone z = load(MAIN + "$INCLUDE parts/hosts.inc sub.example.com.\nmail IN A 192.0.2.25\n");
        assertEquals(1, z.node(Name.parse("www.sub.example.com.")).get(RRType.A).size());
        // The parent's origin is unchanged after the included file.
        assertEquals(1, z.node(Name.parse("mail.example.com.")).get(RRType.A).size());
    }

    @Test
    void errorsInAnIncludedFileNameThatFileAndLine() throws Exception {
        Path zones = Files.createDirectories(dir.resolve("zones"));
        Files.writeString(zones.resolve("bad.inc"), "; comment\nwww IN A 192.0.2.300\n");
        StartupException e = assertThrows(StartupException.class, () -> load(MAIN + "$INCLUDE bad.inc\n"));
        assertTrue(e.getMessage().endsWith("bad.inc:2: bad IPv4 address '192.0.2.300'"), e.getMessage());
    }

    @Test
    void nothingOutsideTheZonesDirectory() throws Exception {
        Files.writeString(dir.resolve("secret.inc"), "www IN A 192.0.2.1\n");
        Path zones = Files.createDirectories(dir.resolve("zones"));
        Files.createSymbolicLink(zones.resolve("link.inc"), dir.resolve("secret.inc"));
        for (String name : List.of("../secret.inc", dir.resolve("secret.inc").toString(), "link.inc")) {
            StartupException e = assertThrows(StartupException.class, () -> load(MAIN + "$INCLUDE " + name + "\n"));
            assertTrue(e.getMessage().contains(":6: $INCLUDE ") && e.getMessage().contains("outside the zone's directory"),
                    e.getMessage());
        }
    }

    @Test
    void anIncludeLoopStopsAtTheDepthLimit() throws Exception {
        Path zones = Files.createDirectories(dir.resolve("zones"));
        Files.writeString(zones.resolve("self.inc"), "$INCLUDE self.inc\n");
        StartupException e = assertThrows(StartupException.class, () -> load(MAIN + "$INCLUDE self.inc\n"));
        assertTrue(e.getMessage().contains("self.inc:1: $INCLUDE nested more than 8 deep"), e.getMessage());
    }

    @Test
    void embeddedZonesIncludeKeysBesideThemOnly() throws Exception {
        Files.createDirectories(dir.resolve("z"));
        Files.writeString(dir.resolve("z/example.com.zone"), MAIN + "$INCLUDE hosts.inc\n$INCLUDE ../x.inc\n");
        Files.writeString(dir.resolve("z/hosts.inc"), "www IN A 192.0.2.80\n");
        Files.writeString(dir.resolve("x.inc"), "www2 IN A 192.0.2.81\n");
        StartupException e = assertThrows(StartupException.class, () -> ZoneLoader.load(List.of(new ZoneSource(
                Name.parse("example.com."), "embedded:z/example.com.zone")), DirectoryStore.open(dir)));
        assertTrue(e.getMessage().startsWith("z/example.com.zone:7: $INCLUDE ../x.inc: "), e.getMessage());
    }
}
