package atoll.conformance.dns;

import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * {@link DigConformance} on the socket target: the image answers on loopback, IPv4 and IPv6, and
 * the clients run on the host.
 */
@Tag("dns-server")
@Tag("socket")
class DigIT extends DigConformance {
    private ImageProcess server;
    private int port;

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
        port = Ports.freeTcpAndUdp();
        server = Dns.start(tmp.resolve("server.log"), port, "--listen=127.0.0.1,::1", "--state.dir=" + tmp.resolve("state"));
    }

    @Override
    protected void stopImage() throws Exception {
        if (server != null) {
            try {
                server.stop();
            } finally {
                server.close();
            }
        }
    }

    @Override
    protected String client(String tool, String debianPackage, String... args) throws Exception {
        return Peer.ok(tool, debianPackage, args);
    }
}
