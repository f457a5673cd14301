package atoll.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.FeatureSummary.Outcome;
import atoll.conformance.FeatureSummary.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary table from made-up outcomes: a failure anywhere fails the feature; the rest as mapped. */
class SummaryTableTest {

    static String row(String table, String id) {
        return table.lines().filter(l -> l.matches(".*\\s" + java.util.regex.Pattern.quote(id) + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + id + " in\n" + table));
    }

    @Test
    void passFailNotSupportedAndOwnTests() throws Exception {
        List<Outcome> outcomes = List.of(
                new Outcome(Appliance.DNS_SERVER, OnTarget.SOCKET, "authoritative", "DigIT.a", Result.PASS, ""),
                new Outcome(Appliance.DNS_SERVER, OnTarget.TAP, "authoritative", "TapDigIT.a", Result.PASS, ""),
                new Outcome(Appliance.DNS_SERVER, OnTarget.SOCKET, "edns", "DigIT.b", Result.PASS, ""),
                new Outcome(Appliance.DNS_SERVER, OnTarget.TAP, "edns", "TapDigIT.b", Result.FAIL, "no OPT record"));
        String table = SummaryTable.render(outcomes, List.of(Appliance.DNS_SERVER));
        assertTrue(row(table, "authoritative").matches("\\s+pass\\s+pass\\s+authoritative\\s+authoritative answers"), table);
        assertTrue(row(table, "edns").matches("\\s+pass\\s+FAIL\\s+edns\\s+EDNS\\(0\\)"), table);
        assertTrue(row(table, "udp-source").matches("\\s+-\\s+-\\s+udp-source\\s.*"), table);
        assertTrue(row(table, "no-xfr").contains("not supported"), table);
        assertTrue(row(table, "compression").contains("own tests"), table);
        assertTrue(table.contains("FAILED tap  TapDigIT.b: no OPT record"), table);
        assertTrue(table.contains("1 feature(s) failed"), table);
    }

    @Test
    void nothingFailedSaysSo() throws Exception {
        String table = SummaryTable.render(List.of(
                new Outcome(Appliance.SSH_BASTION, OnTarget.SOCKET, "audit", "OpenSshIT.x", Result.PASS, "")),
                List.of(Appliance.SSH_BASTION));
        assertTrue(row(table, "audit").matches("\\s+pass\\s+-\\s+audit\\s+audit"), table);
        assertTrue(table.strip().endsWith("no feature failed"), table);
    }
}
