package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.testkit.netns.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link DigConformance} on the tap target: inside a network namespace this test creates and
 * deletes, the kernel's side of the TAP device {@code atoll0} is 192.0.2.1/24 and the image runs
 * {@code --target=tap} as 192.0.2.2/24 on port 53, answering on Atoll's own stack; dig and kdig run
 * in the namespace, so the kernel's UDP and TCP are the peers.
 */
class TapDigIT extends DigConformance {
    private static final String ADDRESS = "192.0.2.2";
    private static final int PORT = 53;
    private NetworkNamespace ns;
    private Process server;
    private Path tmp;

    @Override
    protected List<String> servers() {
        return List.of(ADDRESS); // the tap target speaks IPv4 only
    }

    @Override
    protected int port() {
        return PORT;
    }

    @Override
    protected void startImage(Path tmp) throws Exception {
        this.tmp = tmp;
        ImageIT.imageIsBuilt();
        NetworkNamespace.requireCommand("dig", "dnsutils");
        ns = NetworkNamespace.create();
        ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
        ns.ip("address", "add", "192.0.2.1/24", "dev", "atoll0");
        ns.ip("link", "set", "atoll0", "up");
        server = ns.start(List.of(ImageIT.LAUNCHER.toString(), "--target=tap", "--tap.device=atoll0",
                "--ipv4=" + ADDRESS + "/24", "--listen=0.0.0.0", "--port=" + PORT,
                "--state.dir=" + tmp.resolve("state")), tmp.resolve("server.log"));
        for (int attempt = 0; attempt < ImageIT.READY_ATTEMPTS; attempt++) {
            if (!server.isAlive()) {
                fail("appliance exited: " + log());
            }
            NetworkNamespace.Result r = ns.exec(Duration.ofSeconds(10), "dig", "@" + ADDRESS, "-p", "" + PORT,
                    "+tries=1", "+time=1", "+short", "www.example.com");
            if (r.status() == 0 && r.output().contains("192.0.2.80")) {
                return;
            }
            server.waitFor(100, TimeUnit.MILLISECONDS);
        }
        fail("appliance never answered: " + log());
    }

    @Override
    protected void stopImage() throws Exception {
        try {
            if (server != null) {
                server.destroy(); // SIGTERM: ip netns exec has exec'd the launcher, which exec'd java
                assertTrue(server.waitFor(ImageIT.RUN_BOUND_SECONDS, TimeUnit.SECONDS), "appliance did not stop");
                assertEquals(0, server.exitValue(), this::log);
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    String log() {
        try {
            return Files.readString(tmp.resolve("server.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Override
    protected String client(String tool, String debianPackage, String... args) throws Exception {
        NetworkNamespace.requireCommand(tool, debianPackage);
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(List.of(args));
        NetworkNamespace.Result r = ns.exec(Duration.ofSeconds(60), cmd.toArray(String[]::new));
        assertEquals(0, r.status(), () -> tool + " failed:\n" + r.output() + "\n--- appliance log\n" + log());
        return r.output();
    }
}
