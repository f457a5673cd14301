package atoll.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Docker-compatible engine the container suites use through Testcontainers: podman's API
 * service on the Unix socket {@code DOCKER_HOST} names (failsafe sets it to
 * {@code unix:///run/podman/podman.sock} unless the environment sets another). When nothing answers
 * there and podman is installed, this starts {@code podman --runtime /usr/sbin/runc system service
 * --time=0} on that socket and stops it on {@link #close()}. Images are loaded and built with the
 * podman command (same storage as the service); nothing is ever pulled: no registry is reachable.
 * A missing podman or runc fails naming the Debian package.
 */
public final class ContainerEngine implements AutoCloseable {
    public static final String RUNC = "/usr/sbin/runc";
    /** Attempts (100 ms apart) to see a service this class started answer its ping: bounded. */
    static final int READY_ATTEMPTS = 150;

    private final Path socket;
    private final Process service;

    private ContainerEngine(Path socket, Process service) {
        this.socket = socket;
        this.service = service;
    }

    /** The engine on DOCKER_HOST's socket, started here if it does not answer yet. */
    public static ContainerEngine reachable(Path serviceLog) throws IOException, InterruptedException {
        String host = System.getenv("DOCKER_HOST");
        assertTrue(host != null && host.startsWith("unix://"), "DOCKER_HOST must name the podman service's Unix socket"
                + " (unix:///run/podman/podman.sock; conformance/README.md, \"Containers\"), not " + host);
        Path socket = Path.of(host.substring("unix://".length()));
        Peer.require("podman", "podman");
        assertTrue(Files.isExecutable(Path.of(RUNC)), "podman runs containers with runc here: apt-get install runc");
        if (answers(socket)) return new ContainerEngine(socket, null);

        Files.createDirectories(socket.getParent());
        Files.createDirectories(serviceLog.toAbsolutePath().getParent());
        Process p = new ProcessBuilder("podman", "--runtime", RUNC, "system", "service", "--time=0", host)
                .redirectErrorStream(true).redirectOutput(serviceLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        ContainerEngine engine = new ContainerEngine(socket, p);
        for (int i = 0; i < READY_ATTEMPTS; i++) {
            if (answers(socket)) return engine;
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        engine.close();
        throw new AssertionError("podman system service never answered on " + socket + " (podman needs root and"
                + " /etc/containers/containers.conf with [containers] default_ulimits = []; see .ci/run):\n"
                + Files.readString(serviceLog));
    }

    /** The engine's ping endpoint (GET /_ping answers OK) over the Unix socket. */
    static boolean answers(Path socket) {
        if (!Files.exists(socket)) return false;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: engine\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(4096);
            // Bounded: HTTP/1.0, the service closes after one small answer.
            while (in.hasRemaining() && ch.read(in) > 0) { }
            return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).contains("OK");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code podman --runtime runc args}, failing unless it exits 0; its output. */
    public static String podman(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--runtime", RUNC));
        all.addAll(List.of(args));
        return Peer.ok("podman", "podman", all.toArray(String[]::new));
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() throws InterruptedException {
        if (service == null) return;
        service.destroy();
        if (!service.waitFor(10, TimeUnit.SECONDS)) service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
