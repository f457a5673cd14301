package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The built image, run as an operator would: {@code target/image/bin/dns-server}. Runs in
 * {@code mvn verify} after {@code package} built the image (failsafe passes its location).
 */
class ImageIT {

    static final Path IMAGE = Path.of(System.getProperty("atoll.image.dir", "target/image"));
    static final String NAME = System.getProperty("atoll.image.name", "dns-server");
    static final String VERSION = System.getProperty("atoll.image.version", "");
    static final Path ARCHIVE = Path.of(System.getProperty("atoll.image.archive", "target/" + NAME + "-" + VERSION + ".tar.gz"));
    static final Path LAUNCHER = IMAGE.resolve("bin").resolve(NAME);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** sysexits.h EX_USAGE: what DESIGN §6 gives a bad configuration value. */
    static final int EX_USAGE = 64;
    /** Upper bound on one appliance run, so a hung process fails the test instead of the build. */
    static final long RUN_BOUND_SECONDS = 120;
    /** How many times to ask before deciding the appliance never started answering. */
    static final int READY_ATTEMPTS = 600;

    @TempDir Path tmp;

    @BeforeAll
    static void imageIsBuilt() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("atoll.image.skip")), "image build skipped (-Dimage.skip=true)");
        assertTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER + ": run mvn package first");
    }

    record Run(int status, String stdout, String stderr) {
        List<String> stderrLines() { return stderr.lines().toList(); }
    }

    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    Run finish(Process p) throws Exception {
        if (!p.waitFor(RUN_BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("appliance did not exit; stderr:\n" + Files.readString(tmp.resolve("stderr")));
        }
        return new Run(p.exitValue(), Files.readString(tmp.resolve("stdout")), Files.readString(tmp.resolve("stderr")));
    }

    Run run(String... args) throws Exception {
        return finish(start(args));
    }

    /** A port free for both UDP and TCP on loopback at the time of the call. */
    static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, LOOPBACK)) {
                    return port;
                } catch (SocketException taken) {
                    // UDP side in use: try another number.
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on loopback");
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    static SimpleResolver resolver(int port, boolean tcp) throws IOException {
        SimpleResolver r = new SimpleResolver(LOOPBACK);
        r.setPort(port);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        return r;
    }

    static void assertExampleAnswer(Message response, String transport) {
        assertEquals(Rcode.NOERROR, response.getRcode(), transport + ": " + response);
        assertTrue(response.getHeader().getFlag(Flags.AA), transport + ": AA not set: " + response);
        List<Record> answers = response.getSection(Section.ANSWER);
        assertTrue(answers.stream().anyMatch(r -> r instanceof ARecord a
                && a.getName().equals(Name.fromConstantString("www.example.com."))
                && a.getAddress().getHostAddress().equals("192.0.2.80")), transport + ": " + response);
    }

    @Test
    void servesTheEmbeddedZoneOverUdpAndTcpAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Process p = start("--listen=127.0.0.1", "--port=" + port);
        try {
            SimpleResolver udp = resolver(port, false);
            Message response = null;
            // The appliance answers once it has booted: ask until it does (bounded), failing fast if it died.
            for (int attempt = 0; attempt < READY_ATTEMPTS && response == null; attempt++) {
                if (!p.isAlive()) fail("appliance exited with " + p.exitValue() + ": " + Files.readString(tmp.resolve("stderr")));
                try {
                    response = udp.send(query("www.example.com.", Type.A));
                } catch (IOException notYet) {
                    p.waitFor(100, TimeUnit.MILLISECONDS); // pause between polls; returns early if it exits
                }
            }
            assertNotNull(response, "no answer from the appliance; stderr:\n" + Files.readString(tmp.resolve("stderr")));
            assertExampleAnswer(response, "udp");
            assertExampleAnswer(resolver(port, true).send(query("www.example.com.", Type.A)), "tcp");

            // On Linux Process.destroy() sends SIGTERM (ProcessHandle#supportsNormalTermination).
            assertTrue(p.supportsNormalTermination(), "this platform cannot send SIGTERM");
            p.destroy();
            Run run = finish(p);
            assertEquals(0, run.status(), run.stderr());
            assertTrue(run.stderrLines().stream().anyMatch(l -> l.contains("stopped")), run.stderr());
        } finally {
            p.destroyForcibly();
        }
    }

    static void assertOneLineUsageError(Run run, String... mentions) {
        assertEquals(EX_USAGE, run.status(), run.stderr());
        assertEquals(1, run.stderrLines().size(), "want exactly one line on stderr:\n" + run.stderr());
        for (String m : mentions) assertTrue(run.stderr().contains(m), "stderr does not name '" + m + "': " + run.stderr());
    }

    @Test
    void unknownKeyIsOneLineAndExit64() throws Exception {
        assertOneLineUsageError(run("--no.such.key=1"), "no.such.key");
    }

    @Test
    void outOfRangePortIsOneLineAndExit64() throws Exception {
        assertOneLineUsageError(run("--port=99999"), "port", "99999");
    }

    /** Issue 6: 0s used to switch the idle timeout off silently; every TCP deadline now refuses it. */
    @Test
    void zeroTcpDeadlinesAreRefused() throws Exception {
        for (String key : List.of("tcp.idle-timeout", "tcp.query-timeout", "tcp.write-timeout")) {
            assertOneLineUsageError(run("--" + key + "=0s"), key, "1ms to 1h");
        }
    }

    @Test
    void brokenZoneFileNamesFileAndLine() throws Exception {
        Path zone = tmp.resolve("broken.zone");
        Files.writeString(zone, """
                $TTL 3600
                @ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
                www IN A this-is-not-an-address
                """);
        Run run = run("--listen=127.0.0.1", "--port=" + freePort(), "--zones=example.com.=" + zone);
        assertOneLineUsageError(run, "broken.zone:3:");
    }

    @Test
    void helpListsKeys() throws Exception {
        Run run = run("--help");
        assertEquals(0, run.status(), run.stderr());
        String text = run.stdout() + run.stderr();
        for (String key : List.of("port", "zones", "log.level", "listen", "tcp.idle-timeout", "tcp.query-timeout",
                "tcp.write-timeout", "tcp.max-flows", "tcp.max-flows-per-prefix", "tcp.backlog", "tcp.flow-buffers",
                "socket.tcp-buffers")) assertTrue(text.contains(key), key + " not in:\n" + text);
    }

    @Test
    void versionExitsZero() throws Exception {
        Run run = run("--version");
        assertEquals(0, run.status(), run.stderr());
        assertFalse((run.stdout() + run.stderr()).isBlank(), "--version printed nothing");
    }

    @Test
    void manifestListsEveryPartWithDigests() throws Exception {
        Path manifest = IMAGE.resolve("manifest.json");
        assertTrue(Files.isRegularFile(manifest));
        String m = Files.readString(manifest);
        for (String part : List.of("runtime", "app", "bin", "conf")) assertTrue(m.contains("\"" + part + "\": {"), part + " missing");
        assertTrue(m.contains("\"name\": \"" + NAME + "\""), m);
        assertTrue(m.contains("\"target\": \"socket,tap\""), m);
        byte[] launcher = Files.readAllBytes(LAUNCHER);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(launcher));
        assertTrue(m.contains("{\"path\": \"bin/" + NAME + "\", \"size\": " + launcher.length + ", \"sha256\": \"" + sha + "\"}"), m);
        assertTrue(m.contains("\"conf/" + NAME + ".conf\""), m);
    }

    @Test
    void archiveEntriesAllUnderTopDirectory() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), ARCHIVE.toString());
        List<String> names = tarNames(ARCHIVE);
        String top = NAME + "-" + VERSION + "/";
        assertEquals(top, names.getFirst());
        for (String n : names) assertTrue(n.startsWith(top), n);
        assertTrue(names.contains(top + "bin/" + NAME));
        assertTrue(names.contains(top + "manifest.json"));
        String sums = Files.readString(ARCHIVE.resolveSibling(ARCHIVE.getFileName() + ".sha256"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(ARCHIVE)));
        assertEquals(sha + "  " + ARCHIVE.getFileName() + "\n", sums);
    }

    /** Entry names of a ustar/pax .tar.gz (prefix + name, or a pax 'path' record). */
    static List<String> tarNames(Path archive) throws IOException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            tar = in.readAllBytes();
        }
        List<String> names = new ArrayList<>();
        String paxPath = null;
        for (int off = 0; off + 512 <= tar.length; ) {
            if (tar[off] == 0) break; // end-of-archive marker
            String name = field(tar, off, 100), prefix = field(tar, off + 345, 155);
            long size = Long.parseLong(field(tar, off + 124, 12).trim(), 8);
            byte type = tar[off + 156];
            int body = off + 512;
            if (type == 'x') {
                for (String rec : new String(tar, body, (int) size, StandardCharsets.UTF_8).split("\n")) {
                    String kv = rec.substring(rec.indexOf(' ') + 1);
                    if (kv.startsWith("path=")) paxPath = kv.substring(5);
                }
            } else {
                names.add(paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name);
                paxPath = null;
            }
            off = body + (int) ((size + 511) / 512 * 512);
        }
        return names;
    }

    static String field(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
