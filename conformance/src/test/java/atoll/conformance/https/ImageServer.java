package atoll.conformance.https;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Image;
import atoll.conformance.ImageProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The https-static image run on loopback with ports it picks itself (port 0, read back from its
 * log), for the suites that drive curl, openssl, nghttp, testssl.sh and Chromium against it.
 */
final class ImageServer implements AutoCloseable {
    static final Image IMAGE = Image.of("https-static");

    final ImageProcess process;
    final Path state;
    final int httpsPort;
    /** With port 0 each address gets its own port. */
    final int httpsPort6;
    final int httpPort;

    ImageServer(Path dir, String... extra) throws Exception {
        Files.createDirectories(dir);
        this.state = dir.resolve("state");
        List<String> args = new ArrayList<>(List.of("--listen=127.0.0.1,::1", "--port=0", "--http.port=0",
                "--state.dir=" + state));
        args.addAll(List.of(extra));
        process = IMAGE.start(dir.resolve("server.log"), java.util.Map.of(), args);
        try {
            process.awaitReady();
        } catch (Throwable t) {
            process.close();
            throw t;
        }
        String text = process.log();
        httpsPort = port(text, "https on 127\\.0\\.0\\.1:(\\d+)");
        httpsPort6 = port(text, "https on \\[::1\\]:(\\d+)");
        httpPort = text.contains("http on 127.0.0.1:") ? port(text, "http on 127\\.0\\.0\\.1:(\\d+)") : -1;
    }

    private static int port(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + log);
        return Integer.parseInt(m.group(1));
    }

    /** The development CA the image made on its first start. */
    Path ca() {
        return state.resolve("tls/dev-ca.pem");
    }

    String log() {
        return process.log();
    }

    /** SIGTERM, then the exit status must be 0. */
    @Override
    public void close() throws Exception {
        try {
            process.stop();
        } finally {
            process.close();
        }
    }
}
