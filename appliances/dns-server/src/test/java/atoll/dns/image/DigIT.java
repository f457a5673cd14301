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
import org.xbill.DNS.Type;

/**
 * {@link DigConformance} on the socket target: the image answers on loopback, IPv4 and IPv6, and
 * the clients run on the host.
 */
class DigIT extends DigConformance {
    Process server;
    int port;
    private Path tmp;

    @Override
    protected List<String> servers() {
        return List.of("127.0.0.1", "::1");
    }

    @Override
    protected int port() {
        return port;
    }

    @Override
    protected void startImage(Path tmp) throws Exception {
        this.tmp = tmp;
        ImageIT.imageIsBuilt();
        port = ImageIT.freePort();
        server = new ProcessBuilder(ImageIT.LAUNCHER.toString(), "--listen=127.0.0.1,::1", "--port=" + port,
                "--state.dir=" + tmp.resolve("state"))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        for (int attempt = 0; attempt < ImageIT.READY_ATTEMPTS; attempt++) {
            if (!server.isAlive()) {
                fail("appliance exited: " + Files.readString(tmp.resolve("server.log")));
            }
            try {
                ImageIT.resolver(port, false).send(ImageIT.query("www.example.com.", Type.A));
                return;
            } catch (IOException notYet) {
                server.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        fail("appliance never answered: " + Files.readString(tmp.resolve("server.log")));
    }

    @Override
    protected void stopImage() throws Exception {
        if (server != null) {
            server.destroy();
            assertTrue(server.waitFor(ImageIT.RUN_BOUND_SECONDS, TimeUnit.SECONDS), "appliance did not stop");
            assertEquals(0, server.exitValue(), () -> log());
        }
    }

    String log() {
        try {
            return Files.readString(tmp.resolve("server.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    protected String client(String tool, String debianPackage, String... args) throws Exception {
        return hostClient(tool, debianPackage, args);
    }

    /** Runs a client on the host; a missing client fails the test naming the Debian package to install. */
    static String hostClient(String tool, String debianPackage, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage, missing);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
        assertEquals(0, p.exitValue(), () -> tool + " failed:\n" + out);
        return out;
    }
}
