package atoll.perf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a fixed sample run, opened in headless Chromium (Debian package chromium):
 * the page's own script records every chart's drawn size and how many data points have a
 * non-empty box, read back from Chromium's DOM dump; a screenshot must show each series' colour
 * beyond its legend square. A second test breaks a chart and checks that the check catches it.
 */
class ReportRenderTest {
    @TempDir
    Path tmp;

    static List<SuiteResult> sample() throws IOException {
        try {
            return SuiteResult.load(Path.of(ReportRenderTest.class.getResource("sample-run.json").toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Data points per chart, in the order the report draws them. */
    static List<Integer> expectedPoints(List<SuiteResult> suites) {
        List<Integer> out = new ArrayList<>();
        for (SuiteResult s : suites) {
            for (Tables.Series series : new Tables(s).series()) {
                out.add(series.points().size());
            }
        }
        return out;
    }

    @Test
    void everyChartOfTheSampleRendersInHeadlessChromium() throws Exception {
        List<SuiteResult> suites = sample();
        String html = Html.render(suites, "test");
        assertSelfContained(html);
        Path page = tmp.resolve("report.html");
        Files.writeString(page, html);

        List<Integer> points = expectedPoints(suites);
        assertEquals(List.of(9, 4), points, "the sample has a DNS series (3 servers × 3 levels) and an HTTPS one (2 × 2)");
        verifyRendered(chromium("--dump-dom", page.toUri().toString()), points);

        Path shot = tmp.resolve("report.png");
        chromium("--screenshot=" + shot, "--window-size=1280,3000", page.toUri().toString());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertTrue(img != null && img.getWidth() > 0, "no screenshot");
        // Series k is drawn in PALETTE[k]: its legend square (12 × 12) in each chart it is in,
        // then its line and dots. The DNS chart has series 0-2, the HTTPS chart series 0-1.
        int[] charts = {2, 2, 1};
        for (int k = 0; k < charts.length; k++) {
            int rgb = Integer.parseInt(Html.PALETTE[k].substring(1), 16);
            int count = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                        count++;
                    }
                }
            }
            int legends = 144 * charts[k];
            assertTrue(count > legends + 200, "series colour " + Html.PALETTE[k] + ": " + count
                    + " pixels, the legend squares alone are " + legends + ": its line and points were not drawn");
        }
    }

    @Test
    void theRenderCheckFailsOnChartsThatDidNotRender() throws Exception {
        List<SuiteResult> suites = sample();
        String html = Html.render(suites, "test");
        List<Integer> points = expectedPoints(suites);
        // A chart with no size, and one whose data points are empty.
        String noSize = html.replaceFirst("<svg class=\"chart\" id=\"chart-dns-1\" width=\"640\" height=\"320\"",
                "<svg class=\"chart\" id=\"chart-dns-1\" width=\"0\" height=\"0\" style=\"display:none\"");
        String noDots = html.replace("r=\"4\"", "r=\"0\"");
        assertFalse(noSize.equals(html) || noDots.equals(html), "the breakage must change the page");
        for (String broken : List.of(noSize, noDots)) {
            Path page = tmp.resolve("broken.html");
            Files.writeString(page, broken);
            String dom = chromium("--dump-dom", page.toUri().toString());
            assertThrows(AssertionError.class, () -> verifyRendered(dom, points));
        }
        // And a page where a chart is missing altogether.
        assertThrows(AssertionError.class, () -> verifyRendered(
                "<pre id=\"render-check\" hidden=\"\">charts=1\nchart-dns-1 640x320 marks=9 drawn=9</pre>", points));
    }

    static final Pattern CHECK = Pattern.compile("<pre id=\"render-check\"[^>]*>([^<]*)</pre>");
    static final Pattern LINE = Pattern.compile("(\\S+) (\\d+)x(\\d+) marks=(\\d+) drawn=(\\d+)");

    /** What the page's script recorded: one line per chart with its size and drawn points. */
    static void verifyRendered(String dom, List<Integer> points) {
        Matcher m = CHECK.matcher(dom);
        assertTrue(m.find(), "no render-check element in the DOM (script did not run?):\n" + dom);
        String[] lines = m.group(1).strip().split("\n");
        assertEquals("charts=" + points.size(), lines[0], m.group(1));
        assertEquals(points.size() + 1, lines.length, m.group(1));
        for (int i = 0; i < points.size(); i++) {
            Matcher l = LINE.matcher(lines[i + 1]);
            assertTrue(l.matches(), lines[i + 1]);
            assertTrue(Integer.parseInt(l.group(2)) > 0 && Integer.parseInt(l.group(3)) > 0, "chart has no size: " + lines[i + 1]);
            assertEquals(points.get(i), Integer.parseInt(l.group(4)), "data points in the chart: " + lines[i + 1]);
            assertEquals(points.get(i), Integer.parseInt(l.group(5)), "data points drawn: " + lines[i + 1]);
        }
    }

    /** No script, style, font or image from anywhere: links only to the page's own anchors. */
    static void assertSelfContained(String html) {
        for (String bad : List.of("src=", "@import", "url(", "<link", "http://", "https://")) {
            assertFalse(html.contains(bad), "the report refers outside itself: " + bad);
        }
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        while (href.find()) {
            assertTrue(href.group(1).startsWith("#"), "link out of the page: " + href.group(1));
        }
    }

    /** Runs headless Chromium as ChromiumIT (appliances/https-static) does; its stdout. */
    String chromium(String... args) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path profile = Files.createTempDirectory(tmp, "profile");
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(tmp.resolve("chromium.err").toFile());
        pb.environment().put("HOME", home.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException missing) {
            throw new AssertionError("chromium is not installed: apt-get install chromium", missing);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium hung");
        assertEquals(0, p.exitValue(), () -> "chromium " + String.join(" ", args) + " failed:\n" + readErr());
        return out;
    }

    private String readErr() {
        try {
            return Files.readString(tmp.resolve("chromium.err"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
