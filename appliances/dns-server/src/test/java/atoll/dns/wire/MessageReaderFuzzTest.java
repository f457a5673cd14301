package atoll.dns.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.condition.EnabledIf;

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
    @EnabledIf(value = "systemLoggerWorks",
            disabledReason = "System.Logger throws: Jazzer's agent installer logs through the module's"
                    + " LoggerFinder (libos CompactLoggerFinder), which is still a placeholder")
    void parseAndRoundTrip(byte[] data) {
        Message m = Wire.parseOrFormErr(data);
        if (m != null) {
            Wire.assertRewriteRoundTrips(m, data);
        }
    }

    /**
     * Jazzer installs its agent by starting a process, and ProcessBuilder logs through
     * System.Logger; a LoggerFinder that throws makes every @FuzzTest fail before it runs.
     */
    static boolean systemLoggerWorks() {
        try {
            System.getLogger(MessageReaderFuzzTest.class.getName()).isLoggable(System.Logger.Level.DEBUG);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
