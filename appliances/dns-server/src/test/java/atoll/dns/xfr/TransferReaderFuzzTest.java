package atoll.dns.xfr;

import atoll.dns.wire.Name;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileParser;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer targets for the clients of a transfer, which read what a primary sends: any octets, taken
 * as a response message of an AXFR ({@link TransferReader}) or an IXFR ({@link IxfrReader}), give
 * progress, a zone or a {@link TransferReader.TransferException}, and nothing else.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/atoll/dns/xfr/TransferReaderFuzzTestInputs/} (an AXFR message the image
 * wrote); {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class TransferReaderFuzzTest {
    private static final Name ORIGIN = Name.parse("sec.test.");
    private static final Zone CURRENT;

    static {
        try {
            CURRENT = ZoneFileParser.parse("$ORIGIN sec.test.\n@ 300 SOA ns1 h 7 3600 600 86400 300\n@ 300 NS ns1\n"
                    + "ns1 300 A 192.0.2.1\nwww 300 A 192.0.2.80\n", "fuzz", ORIGIN);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest
    void axfrAnyMessage(byte[] data) {
        TransferReader reader = new TransferReader(ORIGIN, 0, null, null);
        try {
            if (reader.accept(data, 0)) {
                reader.zone("fuzz");
            }
        } catch (TransferReader.TransferException refused) {
            // the declared outcome
        }
    }

    @FuzzTest
    void ixfrAnyMessage(byte[] data) {
        IxfrReader reader = new IxfrReader(CURRENT, 0, null, null);
        try {
            if (reader.accept(data, 0)) {
                reader.zone("fuzz");
            }
        } catch (TransferReader.TransferException refused) {
            // the declared outcome
        }
    }
}
