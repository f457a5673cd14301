package atoll.conformance.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.Peer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium (Debian package chromium) loads the sample site from the built image over
 * HTTPS, trusting the development CA through an NSS database of its own (certutil, Debian
 * package libnss3-tools), and takes a screenshot. The screenshot must show the page rendered with
 * its stylesheet: the panel colour of style.css (#12577f) covers a large part of it.
 */
@Tag("https-static")
@Tag("socket")
class ChromiumIT extends HttpsSuite {

    /** style.css: {@code main { background: #12577f }}. */
    static final int PANEL = 0x12577f;

    @Test
    @Feature({"browser", "dev-ca", "access-log"})
    void rendersTheSampleSiteOverHttps() throws Exception {
        Path home = tmp.resolve("home");
        Path nss = home.resolve(".pki/nssdb");
        Files.createDirectories(nss);
        run(List.of("certutil", "-d", "sql:" + nss, "-N", "--empty-password"), "libnss3-tools", home);
        run(List.of("certutil", "-d", "sql:" + nss, "-A", "-t", "C,,", "-n", "atoll-dev-ca", "-i",
                server.ca().toString()), "libnss3-tools", home);
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        Path shot = tmp.resolve("screenshot.png");
        Peer.Result r = run(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1024,768", "--screenshot=" + shot,
                "https://localhost:" + server.httpsPort + "/"), "chromium", home);
        assertTrue(Files.size(shot) > 0, "no screenshot: " + r.out());
        BufferedImage img = ImageIO.read(shot.toFile());
        int panel = 0;
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                if ((img.getRGB(x, y) & 0xffffff) == PANEL) {
                    panel++;
                }
            }
        }
        int samples = (img.getHeight() / 4) * (img.getWidth() / 4);
        assertTrue(panel > samples / 10, "the styled panel covers " + panel + " of " + samples
                + " sampled pixels (page not rendered with its stylesheet?); chromium said:\n" + r.out()
                + "\nserver log:\n" + server.log());
        // The page and its stylesheet were fetched over HTTPS by the browser.
        String log = server.log();
        assertTrue(log.contains("\"GET / HTTP/2.0\" 200") || log.contains("\"GET / HTTP/1.1\" 200"), log);
        assertTrue(log.contains("GET /style.css"), log);
        assertTrue(log.contains("HeadlessChrome"), log);
    }

    /** Runs {@code cmd} with HOME set to {@code home} (where Chromium finds the NSS database); must exit 0. */
    static Peer.Result run(List<String> cmd, String pkg, Path home) throws Exception {
        Peer.Result r = Peer.run(cmd.getFirst(), pkg, cmd.subList(1, cmd.size()), Map.of("HOME", home.toString()));
        assertEquals(0, r.status(), () -> cmd + ":\n" + r.out());
        return r;
    }
}
