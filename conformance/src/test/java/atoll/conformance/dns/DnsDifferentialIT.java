package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.conformance.Feature;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;

/**
 * The differential suite of issue 8: NSD, Knot DNS and the dns-server image serve the same zones
 * (the image's embedded example.com and this module's example.org test zone); every query of
 * {@link QueryCorpus} goes to all three (over UDP, the hand-picked part over TCP as well) and
 * dns-server's reply is compared with each reference's, aspect by aspect ({@link Observed}). Any difference not in the allowlist fails the
 * test; so does an allowlist entry that no longer matches anything.
 */
@Tag("dns-server")
@Tag("socket")
class DnsDifferentialIT {

    static final Path EMBEDDED_ZONE = Path.of(System.getProperty("atoll.dns.embedded.zone",
            "../appliances/dns-server/src/main/resources/atoll-data/zones/example.com.zone"));
    static final String ALLOWLIST = "/atoll/conformance/dns/allowlist.txt";
    /** How many unexplained differences the failure message spells out (all are in the report file). */
    static final int SHOWN = 40;

    @TempDir Path tmp;

    record Difference(String peer, Probe probe, String aspect, String atoll, String reference) {
        @Override
        public String toString() {
            return peer + " | " + aspect + " | " + probe.label() + "\n    dns-server: " + atoll + "\n    " + peer + ": " + reference;
        }
    }

    @Test
    @Feature("nsd-knot")
    void dnsServerAnswersAsNsdAndKnotDo() throws Exception {
        Path launcher = Dns.IMAGE.requireBuilt().launcher();

        List<ServerProcess.ZoneFile> zones = List.of(
                new ServerProcess.ZoneFile("example.com", EMBEDDED_ZONE.toAbsolutePath()),
                new ServerProcess.ZoneFile("example.org", resource("/atoll/conformance/dns/example.org.zone")));
        List<Probe> corpus = QueryCorpus.build(zones);
        Allowlist allowlist = Allowlist.load(ALLOWLIST);

        List<Difference> unexplained = new ArrayList<>();
        Map<String, Integer> explainedCounts = new TreeMap<>();
        Set<Allowlist.Entry> used = new LinkedHashSet<>();
        try (ServerProcess nsd = ServerProcess.nsd(dir("nsd"), zones);
             ServerProcess knot = ServerProcess.knot(dir("knot"), zones);
             ServerProcess atoll = ServerProcess.atoll(dir("atoll"), launcher,
                     List.of("example.com.=embedded:zones/example.com.zone", "example.org.=" + zones.get(1).file()))) {
            for (int i = 0; i < corpus.size(); i++) {
                Probe probe = corpus.get(i);
                Message query = probe.toMessage(i & 0xFFFF);
                Observed ours = Observed.of(ask(atoll, probe, query));
                for (ServerProcess peer : List.of(nsd, knot)) {
                    Observed theirs = Observed.of(ask(peer, probe, query));
                    for (String aspect : ours.differingAspects(theirs)) {
                        Difference d = new Difference(peer.name, probe, aspect, ours.get(aspect), theirs.get(aspect));
                        Allowlist.Entry entry = allowlist.covering(peer.name, aspect, probe.label());
                        if (entry == null) {
                            unexplained.add(d);
                        } else {
                            used.add(entry);
                            explainedCounts.merge(entry.toString(), 1, Integer::sum);
                        }
                    }
                }
            }
        }

        List<Allowlist.Entry> stale = allowlist.entries().stream().filter(e -> !used.contains(e)).toList();
        StringBuilder report = new StringBuilder();
        report.append("queries: ").append(corpus.size()).append(" (each to dns-server, nsd and knot; ")
                .append(corpus.stream().filter(Probe::tcp).count()).append(" of them over TCP)\n");
        report.append("unexplained differences: ").append(unexplained.size()).append('\n');
        explainedCounts.forEach((entry, n) -> report.append("allowlisted ").append(n).append("x: ").append(entry).append('\n'));
        stale.forEach(e -> report.append("stale (matched nothing): ").append(e).append('\n'));
        unexplained.forEach(d -> report.append(d).append('\n'));
        Path reportFile = Path.of("target", "dns-differential-report.txt");
        Files.createDirectories(reportFile.getParent());
        Files.writeString(reportFile, report);
        System.out.println(report.length() > 4000 ? report.substring(0, 4000) + "\n... (see " + reportFile + ")" : report);

        assertTrue(corpus.size() > 1000, "corpus too small: " + corpus.size());
        if (!unexplained.isEmpty()) {
            StringBuilder msg = new StringBuilder(unexplained.size() + " differences not in " + ALLOWLIST
                    + " (full list in " + reportFile.toAbsolutePath() + "):\n");
            unexplained.stream().limit(SHOWN).forEach(d -> msg.append(d).append('\n'));
            fail(msg.toString());
        }
        assertTrue(stale.isEmpty(), "allowlist entries that matched no difference (remove them): " + stale);
    }

    private static Message ask(ServerProcess server, Probe probe, Message query) throws java.io.IOException {
        return probe.tcp() ? server.queryTcp(query) : server.query(query);
    }

    private Path dir(String name) throws java.io.IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(DnsDifferentialIT.class.getResource(name).toURI());
    }
}
