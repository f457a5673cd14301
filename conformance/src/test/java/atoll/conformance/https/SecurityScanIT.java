package atoll.conformance.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * testssl.sh (Debian package testssl.sh, command {@code testssl}; the class name does not start
 * with "Test" so that surefire leaves it to failsafe) against the built image with its
 * development certificate: no finding rated worse than LOW, except the deliberate ones listed in
 * CONFORMANCE.md ({@link #EXCEPTIONS}).
 */
@Tag("https-static")
@Tag("socket")
class SecurityScanIT extends HttpsSuite {

    /**
     * Findings accepted on purpose, by testssl id:
     * cert_revocation — the development certificate has no CRL or OCSP URI (there is no service to
     * point at; a real certificate configured with tls.certificates carries its CA's);
     * BREACH — gzip on HTTPS responses: the site is static, responses carry no secret for a
     * compression oracle to recover.
     */
    static final Set<String> EXCEPTIONS = Set.of("cert_revocation", "BREACH");
    static final Set<String> WORSE_THAN_LOW = Set.of("MEDIUM", "HIGH", "CRITICAL");

    @Test
    @Feature({"testssl", "tls13", "tls12", "old-tls-refused", "alpn"})
    void noFindingWorseThanLow() throws Exception {
        Path csv = tmp.resolve("testssl.csv");
        Peer.Result r = Peer.run("testssl", "testssl.sh", List.of("--quiet", "--color", "0",
                "--warnings", "off", "--csvfile", csv.toString(), "--add-ca", server.ca().toString(),
                "https://localhost:" + server.httpsPort + "/"));
        assertTrue(Files.exists(csv), "testssl wrote no CSV:\n" + r.out());
        // "id","fqdn/ip","port","severity","finding","cve","cwe"
        Pattern row = Pattern.compile("^\"([^\"]*)\",\"[^\"]*\",\"[^\"]*\",\"([^\"]*)\",\"(.*?)\",\"[^\"]*\",\"[^\"]*\"$");
        Map<String, String> findings = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            findings.put(m.group(1), m.group(2) + " " + m.group(3));
            if (WORSE_THAN_LOW.contains(m.group(2)) && !EXCEPTIONS.contains(m.group(1))) {
                bad.add(m.group(1) + " " + m.group(2) + ": " + m.group(3));
            }
        }
        assertTrue(findings.size() > 50, "testssl ran only " + findings.size() + " checks:\n" + r.out());
        assertEquals(List.of(), bad, "findings worse than LOW");
        assertTrue(findings.get("TLS1_3").contains("offered"), findings.get("TLS1_3"));
        assertTrue(findings.get("TLS1_2").startsWith("OK offered"), findings.get("TLS1_2"));
        assertTrue(findings.get("TLS1_1").contains("not offered"), findings.get("TLS1_1"));
        assertTrue(findings.get("ALPN_HTTP2").contains("h2"), findings.get("ALPN_HTTP2"));
    }
}
