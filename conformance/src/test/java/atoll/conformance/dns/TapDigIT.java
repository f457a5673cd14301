package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.conformance.ImageProcess;
import atoll.testkit.netns.NetworkNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * {@link DigConformance} on the tap target: inside a network namespace this test creates and
 * deletes, the kernel's side of the TAP device {@code atoll0} is 192.0.2.1/24 and the image runs
 * {@code --target=tap} as 192.0.2.2/24 on port 53, answering on Atoll's own stack; dig and kdig run
 * in the namespace, so the kernel's UDP and TCP are the peers.
 */
@Tag("dns-server")
@Tag("tap")
class TapDigIT extends DigConformance {
    private static final String ADDRESS = "192.0.2.2";
    private static final int PORT = 53;
    private NetworkNamespace ns;
    private ImageProcess server;

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
        Dns.IMAGE.requireBuilt();
        NetworkNamespace.requireCommand("dig", "dnsutils");
        ns = NetworkNamespace.create();
        ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
        ns.ip("address", "add", "192.0.2.1/24", "dev", "atoll0");
        ns.ip("link", "set", "atoll0", "up");
        Path log = tmp.resolve("server.log");
        server = ImageProcess.of("dns-server", ns.start(Dns.IMAGE.command(List.of("--target=tap", "--tap.device=atoll0",
                "--ipv4=" + ADDRESS + "/24", "--listen=0.0.0.0", "--port=" + PORT,
                "--state.dir=" + tmp.resolve("state"))), log), log);
        server.await("an answer in the namespace", () -> {
            NetworkNamespace.Result r = ns.exec(Duration.ofSeconds(10), "dig", "@" + ADDRESS, "-p", "" + PORT,
                    "+tries=1", "+time=1", "+short", "www.example.com");
            return r.status() == 0 && r.output().contains("192.0.2.80");
        });
    }

    @Override
    protected void stopImage() throws Exception {
        try {
            if (server != null) {
                server.stop(); // SIGTERM: ip netns exec has exec'd the launcher, which exec'd java
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Override
    protected String client(String tool, String debianPackage, String... args) throws Exception {
        NetworkNamespace.requireCommand(tool, debianPackage);
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(List.of(args));
        NetworkNamespace.Result r = ns.exec(Duration.ofSeconds(60), cmd.toArray(String[]::new));
        assertEquals(0, r.status(), () -> tool + " failed:\n" + r.output() + "\n--- appliance log\n" + server.log());
        return r.output();
    }
}
