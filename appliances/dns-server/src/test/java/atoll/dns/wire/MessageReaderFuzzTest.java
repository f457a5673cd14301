package atoll.dns.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@link MessageReader}: any octets give a message or DnsFormatException, and a
 * message that parses survives write then parse unchanged.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/atoll/dns/wire/MessageReaderFuzzTestInputs/parseAndRoundTrip/} (the
 * jazzer-junit regression-mode layout: {@code <ClassName>Inputs/<methodName>/}); with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes from them for its default 5 minutes.
 */
class MessageReaderFuzzTest {

    @FuzzTest
    void parseAndRoundTrip(byte[] data) {
        Message m = Wire.parseOrFormErr(data);
        if (m != null) {
            Wire.assertRewriteRoundTrips(m, data);
        }
    }

}
