package atoll.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.dns.wire.Name;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the saved secondary zone ({@link ZoneSnapshot}), which is read with the AXFR
 * client's checks ({@link TransferReader}): any octets give a zone or a
 * {@link TransferReader.TransferException}, nothing else, and a zone that decodes encodes and
 * decodes to the same records.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/atoll/dns/xfr/ZoneSnapshotFuzzTestInputs/decodeAnyOctets/} (a copy the
 * image saved after a transfer); {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class ZoneSnapshotFuzzTest {
    private static final Name ORIGIN = Name.parse("sec.test.");

    @FuzzTest
    void decodeAnyOctets(byte[] data) {
        ZoneSnapshot.Saved saved;
        try {
            saved = ZoneSnapshot.decode(ORIGIN, data, "fuzz");
        } catch (TransferReader.TransferException refused) {
            return;
        }
        ZoneSnapshot.Saved again;
        try {
            again = ZoneSnapshot.decode(ORIGIN, ZoneSnapshot.encode(saved.zone(), saved.refreshedMillis()), "again");
        } catch (TransferReader.TransferException e) {
            throw new AssertionError("a zone that decoded does not decode after encoding: " + e.getMessage(), e);
        }
        assertEquals(AxfrWriter.records(saved.zone()), AxfrWriter.records(again.zone()));
    }
}
