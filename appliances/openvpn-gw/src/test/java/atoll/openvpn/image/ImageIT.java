package atoll.openvpn.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image, run as an operator would ({@code target/image/bin/openvpn-gw}): {@code --help}
 * lists every key, a bad value stops start-up with status 64 naming the key, and a start on the
 * defaults generates the tls-crypt key, then SIGTERM stops it with status 0.
 */
class ImageIT {
    static final Path IMAGE = Path.of(System.getProperty("atoll.image.dir", "target/image"));
    static final String NAME = System.getProperty("atoll.image.name", "openvpn-gw");
    static final Path LAUNCHER = IMAGE.resolve("bin").resolve(NAME);
    /** sysexits.h EX_USAGE: what DESIGN §6 gives a bad configuration value. */
    static final int EX_USAGE = 64;

    @TempDir Path tmp;

    @BeforeAll
    static void imageIsBuilt() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("atoll.image.skip")), "image build skipped (-Dimage.skip=true)");
        assertTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER + ": run mvn package first");
    }

    record Run(int status, String out) {}

    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out").toFile()).start();
    }

    Run run(String... args) throws Exception {
        Process p = start(args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "no exit in 120 s");
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")));
    }

    @Test
    void helpListsEveryKey() throws Exception {
        Run r = run("--help");
        assertEquals(0, r.status(), r.out());
        for (String key : List.of("listen", "port", "proto", "control.protection", "tls-crypt.key", "tls-auth.key",
                "tls-auth.digest", "tls.certificate", "tls.key", "tls.ca", "server", "max-clients", "data-ciphers", "gateway.allow",
                "push.routes", "gateway.buffers")) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(key + " ")), () -> key + " missing:\n" + r.out());
        }
    }

    @Test
    void badValuesStopStartUpNamingTheKey() throws Exception {
        Run r = run("--max-clients=0", "--state.dir=" + tmp.resolve("state"));
        assertEquals(EX_USAGE, r.status(), r.out());
        assertTrue(r.out().contains("max-clients"), r.out());
        Run k = run("--tls-crypt.key=" + tmp.resolve("missing.key"), "--state.dir=" + tmp.resolve("state"));
        assertEquals(EX_USAGE, k.status(), k.out());
        assertTrue(k.out().contains("tls-crypt.key=" + tmp.resolve("missing.key")), k.out());
        Run g = run("--gateway.allow=198.51.100.0/33", "--state.dir=" + tmp.resolve("state"));
        assertEquals(EX_USAGE, g.status(), g.out());
        assertTrue(g.out().contains("gateway.allow") && g.out().contains("198.51.100.0/33"), g.out());
        Run c = run("--data-ciphers=BF-CBC", "--state.dir=" + tmp.resolve("state"));
        assertEquals(EX_USAGE, c.status(), c.out());
        assertTrue(c.out().contains("data-ciphers"), c.out());
    }

    @Test
    void startsOnDefaultsAndStopsCleanlyOnSigterm() throws Exception {
        Process p = start("--port=0", "--state.dir=" + tmp.resolve("state"));
        Path key = tmp.resolve("state").resolve("tls-crypt.key");
        for (int i = 0; i < 600 && !Files.readString(tmp.resolve("out")).contains(" ready "); i++) {
            assertTrue(p.isAlive(), () -> "exited early: " + readOut());
            Thread.sleep(100);
        }
        assertTrue(Files.readString(key).contains("-----BEGIN OpenVPN Static key V1-----"));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM");
        assertEquals(0, p.exitValue(), this::readOut);
        String out = readOut();
        assertTrue(out.contains("taking OpenVPN clients on udp 127.0.0.1:") && out.contains("on tcp 127.0.0.1:"), out);
    }

    @Test
    void theProfileCommandRunsFromTheImage() throws Exception {
        Run r = run("profile", "alice", "--state.dir=" + tmp.resolve("state"), "--remote=192.0.2.1:1194", "--proto=tcp");
        assertEquals(0, r.status(), r.out());
        String profile = Files.readString(tmp.resolve("state").resolve("alice.ovpn"));
        assertTrue(profile.contains("remote 192.0.2.1 1194\n") && profile.contains("proto tcp-client\n")
                && profile.contains("<tls-crypt>\n#") && profile.contains("-----BEGIN PRIVATE KEY-----"), profile);
        assertEquals(EX_USAGE, run("profile").status());
    }

    String readOut() {
        try {
            return Files.readString(tmp.resolve("out"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
