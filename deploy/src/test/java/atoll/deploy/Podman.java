package atoll.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The podman commands {@link ContainerIT} runs, and the host's client tools. podman needs root,
 * the Debian packages {@code podman} and {@code runc}, and {@code /etc/containers/containers.conf}
 * with {@code default_ulimits = []} under {@code [containers]} (.ci/run writes it).
 */
final class Podman {
    static final String PODMAN = "podman", RUNC = "/usr/sbin/runc";
    /** Upper bound on one podman or client command, so a hung one fails the test instead of the build. */
    static final long COMMAND_BOUND_SECONDS = 180;
    /** Attempts (100 ms apart) to see the ready line: bounded, so a hung start fails. */
    static final int READY_ATTEMPTS = 600;
    /** libos's runtime logs this once the appliance serves (atoll.libos.runtime.Launcher). */
    static final String READY = " ready on target socket";
    /** The image's user (image builder: {@code User} is {@code 65532:65532}). */
    static final String IMAGE_USER = "65532";

    private Podman() {}

    record Out(int status, String text) {}

    /** Runs a command with stdin from /dev/null and merged output; fails naming the Debian package if it is missing. */
    static Out run(List<String> cmd, long seconds) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException missing) {
            throw new AssertionError(cmd.getFirst() + " is not installed: apt-get install " + packageOf(cmd.getFirst()), missing);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in " + seconds + " s");
        }
        return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static String packageOf(String command) {
        return switch (command) {
            case PODMAN -> "podman runc";
            case "dig" -> "dnsutils";
            case "ssh-keyscan" -> "openssh-client";
            default -> command;
        };
    }

    static Out podman(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PODMAN, "--runtime", RUNC));
        cmd.addAll(List.of(args));
        return run(cmd, COMMAND_BOUND_SECONDS);
    }

    static String ok(Out out, String what) {
        assertEquals(0, out.status(), () -> what + " failed (exit " + out.status() + "):\n" + out.text()
                + "\n(podman here needs root and /etc/containers/containers.conf with [containers] default_ulimits = []; see .ci/run)");
        return out.text();
    }

    /** The appliance's OCI archive, {@code target/<name>-<version>-oci.tar}, written by atoll:image. */
    static Path ociArchive(String appliance) {
        Path tar = Appliances.root().resolve("appliances").resolve(appliance).resolve("target")
                .resolve(appliance + "-" + version() + "-oci.tar");
        assertTrue(Files.isRegularFile(tar), "no OCI image at " + tar + ": build the images first (mvn package, or ./atoll image " + appliance + ")");
        assertTrue(Files.isExecutable(Path.of(RUNC)), "podman runs the image with runc: apt-get install runc");
        return tar;
    }

    static String version() {
        String v = System.getProperty("atoll.version");
        if (v == null) throw new IllegalStateException("atoll.version is not set (run through Maven)");
        return v;
    }

    /** The image ID podman gives a loaded image: the OCI config digest that the image's manifest.json names. */
    static String configDigest(String appliance) throws IOException {
        String manifest = Files.readString(Appliances.root().resolve("appliances").resolve(appliance).resolve("target/image/manifest.json"));
        Matcher config = Pattern.compile("\"config\": \"sha256:([0-9a-f]{64})\"").matcher(manifest);
        assertTrue(config.find(), "manifest.json of " + appliance + " names no OCI config digest:\n" + manifest);
        return config.group(1);
    }

    /** Polls the container's log until the ready line, or until it exits or the attempts run out. */
    static String awaitReady(String name) throws IOException, InterruptedException {
        String logs = "";
        for (int i = 0; i < READY_ATTEMPTS && !logs.contains(READY); i++) {
            Thread.sleep(100);
            logs = podman("logs", name).text();
            if (podman("inspect", "--format", "{{.State.Running}}", name).text().strip().equals("false")) {
                logs = podman("logs", name).text();
                break;
            }
        }
        assertTrue(logs.contains(READY), "the container " + name + " never became ready:\n" + logs);
        return logs;
    }

    /** A loopback port free for both TCP and UDP at the time of asking. */
    static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback); DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), loopback)) {
                return tcp.getLocalPort();
            } catch (java.net.BindException taken) {
                // the UDP side of that port is in use: ask again
            }
        }
        throw new AssertionError("no loopback port free for both TCP and UDP in 50 attempts");
    }
}
