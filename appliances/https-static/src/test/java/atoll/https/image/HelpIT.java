package atoll.https.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image's --help and start-up errors (DESIGN §6): checks of the image this module builds.
 * What real clients see of the running image (curl, openssl, nghttp, testssl.sh, Chromium) is in
 * conformance/ ({@code atoll.conformance.https}).
 */
class HelpIT {
    static final Path IMAGE = Path.of(System.getProperty("atoll.image.dir", "target/image"));
    static final String NAME = System.getProperty("atoll.image.name", "https-static");
    static final Path LAUNCHER = IMAGE.resolve("bin").resolve(NAME);
    /** Upper bound on one run, so a hang fails the test instead of the build. */
    static final long BOUND_SECONDS = 120;

    record Result(int status, String out) {}

    @BeforeAll
    static void imageIsBuilt() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("atoll.image.skip")), "image build skipped (-Dimage.skip=true)");
        assertTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER + ": run mvn package first");
    }

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "the image did not exit: " + out);
        return new Result(p.exitValue(), out);
    }

    @Test
    void helpListsEveryKey() throws Exception {
        Result r = run("--help");
        assertEquals(0, r.status(), r.out());
        for (String key : List.of("listen", "port", "http.port", "site.dir", "tls.certificates", "http.hsts",
                "http.request-timeout", "access-log")) {
            assertTrue(r.out().contains(key), key + " in:\n" + r.out());
        }
    }

    @Test
    void missingCertificateFileIsOneLineAndExit64() throws Exception {
        Result r = run("--tls.certificates=/nonexistent/a.pem=/nonexistent/a.key", "--port=0", "--http.port=0");
        assertEquals(64, r.status(), r.out());
        assertTrue(r.out().contains("tls.certificates") && r.out().contains("/nonexistent/a.pem"), r.out());
    }
}
