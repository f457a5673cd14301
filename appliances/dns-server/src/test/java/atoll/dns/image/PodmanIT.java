package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OCI image ({@code target/dns-server-<version>-oci.tar}, written by atoll:image) under a real
 * container engine: {@code podman load}, {@code podman run} with the DNS port published on
 * 127.0.0.1 only, {@code dig} against that port, then {@code podman stop} (SIGTERM) and the exit
 * status. Needs root, the Debian packages {@code podman} and {@code runc}, and
 * {@code /etc/containers/containers.conf} with {@code default_ulimits = []} under {@code [containers]}
 * (.ci/run writes it); the test fails naming whichever is missing.
 */
class PodmanIT {

    static final Path OCI_ARCHIVE = ImageIT.ARCHIVE.resolveSibling(ImageIT.NAME + "-" + ImageIT.VERSION + "-oci.tar");
    static final String PODMAN = "podman", RUNC = "/usr/sbin/runc";
    /** Attempts (100 ms apart) to see the appliance's ready line: bounded, so a hung start fails. */
    static final int READY_ATTEMPTS = 600;
    /** libos's runtime logs this once the appliance serves (atoll.libos.runtime.Launcher). */
    static final String READY = " ready on target socket";
    /** The embedded zone's answer (src/main/resources/zones/example.com.zone). */
    static final String WWW = "192.0.2.80";

    @BeforeAll
    static void imageIsBuilt() {
        ImageIT.imageIsBuilt();
        assertTrue(Files.isRegularFile(OCI_ARCHIVE), "no OCI image at " + OCI_ARCHIVE + ": run mvn package first");
        assertTrue(Files.isExecutable(Path.of(RUNC)), "podman runs the image with runc: apt-get install runc");
    }

    record Out(int status, String text) {}

    static Out run(List<String> cmd, long seconds) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException missing) {
            throw new AssertionError(cmd.getFirst() + " is not installed: apt-get install " + (cmd.getFirst().equals(PODMAN) ? "podman runc" : "dnsutils"), missing);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in " + seconds + " s");
        }
        return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Out podman(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PODMAN, "--runtime", RUNC));
        cmd.addAll(List.of(args));
        return run(cmd, 180);
    }

    static String ok(Out out, String what) {
        assertEquals(0, out.status(), () -> what + " failed (exit " + out.status() + "):\n" + out.text()
                + "\n(podman here needs root and /etc/containers/containers.conf with [containers] default_ulimits = []; see .ci/run)");
        return out.text();
    }

    @Test
    void loadsRunsAsNonRootAnswersDigAndStopsCleanly() throws Exception {
        // The config digest is the image ID podman gives a loaded image; the manifest names it.
        String manifest = Files.readString(ImageIT.IMAGE.resolve("manifest.json"));
        Matcher config = Pattern.compile("\"config\": \"sha256:([0-9a-f]{64})\"").matcher(manifest);
        assertTrue(config.find(), "manifest.json names no OCI config digest:\n" + manifest);
        String id = config.group(1);

        String loaded = ok(podman("load", "-i", OCI_ARCHIVE.toString()), "podman load");
        assertTrue(loaded.contains("Loaded image: localhost/" + ImageIT.NAME + ":" + ImageIT.VERSION), loaded);
        assertEquals(id, ok(podman("image", "inspect", "--format", "{{.Id}}", id), "podman image inspect").strip());

        int port = ImageIT.freePort();
        String name = "atoll-podman-it-" + ProcessHandle.current().pid() + "-" + port;
        try {
            // Published on loopback only (network rule); inside its network namespace the appliance listens on every address.
            ok(podman("run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":5300/udp", "-p", "127.0.0.1:" + port + ":5300/tcp",
                    id, "--listen=0.0.0.0"), "podman run");
            String logs = "";
            for (int i = 0; i < READY_ATTEMPTS && !logs.contains(READY); i++) {
                Thread.sleep(100);
                logs = podman("logs", name).text();
                if (podman("inspect", "--format", "{{.State.Running}}", name).text().strip().equals("false")) break;
            }
            assertTrue(logs.contains(READY), "the container never became ready:\n" + logs);

            Out udp = run(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "www.example.com", "A", "+norecurse", "+short",
                    "+time=2", "+tries=3"), 60);
            assertEquals(WWW, ok(udp, "dig over UDP").strip());
            Out tcp = run(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "www.example.com", "A", "+norecurse", "+short",
                    "+tcp", "+time=2", "+tries=3"), 60);
            assertEquals(WWW, ok(tcp, "dig over TCP").strip());

            // podman top reads the host's /proc: the JVM is pid 1 and runs as the image's user, not root.
            String top = ok(podman("top", name, "user", "pid", "args"), "podman top");
            assertTrue(top.lines().anyMatch(l -> l.startsWith("65532 ") && l.contains("/opt/dns-server/runtime/bin/java")), top);

            ok(podman("stop", "-t", "20", name), "podman stop");
            String status = ok(podman("inspect", "--format", "{{.State.ExitCode}}", name), "podman inspect").strip();
            assertEquals("0", status, "SIGTERM is an orderly stop (exit 0):\n" + podman("logs", name).text());
            assertTrue(podman("logs", name).text().contains("stopped"));
        } finally {
            podman("rm", "-f", name);
        }
    }
}
