package atoll.https.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The image's --help and start-up errors (DESIGN §6). */
class HelpIT {
    @Test
    void helpListsEveryKey() throws Exception {
        ImageServer.imageIsBuilt();
        ImageServer.Result r = ImageServer.peer(ImageServer.LAUNCHER.toString(), "-", List.of("--help"));
        assertEquals(0, r.status(), r.out());
        for (String key : List.of("listen", "port", "http.port", "site.dir", "tls.certificates", "http.hsts",
                "http.request-timeout", "access-log")) {
            assertTrue(r.out().contains(key), key + " in:\n" + r.out());
        }
    }

    @Test
    void missingCertificateFileIsOneLineAndExit64() throws Exception {
        ImageServer.imageIsBuilt();
        ImageServer.Result r = ImageServer.peer(ImageServer.LAUNCHER.toString(), "-",
                List.of("--tls.certificates=/nonexistent/a.pem=/nonexistent/a.key", "--port=0", "--http.port=0"));
        assertEquals(64, r.status(), r.out());
        assertTrue(r.out().contains("tls.certificates") && r.out().contains("/nonexistent/a.pem"), r.out());
    }
}
