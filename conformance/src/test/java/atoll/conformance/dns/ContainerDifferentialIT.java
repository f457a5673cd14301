package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.conformance.ContainerEngine;
import atoll.conformance.Feature;
import atoll.conformance.Image;
import atoll.conformance.Ports;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.xbill.DNS.Message;

/**
 * The differential comparison in containers (issue 13, item 5): the dns-server OCI image
 * ({@code appliances/dns-server/target/dns-server-<version>-oci.tar}, {@code podman load}) and a
 * reference NSD image built here ({@code FROM scratch}: Debian's {@code /usr/sbin/nsd}, its
 * shared-library closure as {@code ldd} lists it, the configuration and the embedded example.com
 * zone) run under Testcontainers on the podman engine ({@link ContainerEngine}), each port
 * published on 127.0.0.1 only. Nothing is pulled. {@link #QUERIES} queries of
 * {@link QueryCorpus} for example.com go to both over the published ports; any difference
 * {@link Observed} finds that the allowlist does not explain for NSD fails. Without an engine the
 * same comparison runs with processes: {@link DnsDifferentialIT}.
 */
@Tag("dns-server")
@Tag("socket")
@Tag("containers")
class ContainerDifferentialIT {

    /** How many queries of the corpus are compared: a small, bounded sample (CI cost). */
    static final int QUERIES = 20;
    /** The port both servers listen on inside their containers (dns-server's default). */
    static final int CONTAINER_PORT = 5300;
    static final String NSD_IMAGE = "localhost/atoll-nsd-reference:conformance";
    /** The state directory inside the NSD image. */
    static final Path NSD_DIR = Path.of("/var/nsd");
    static final Pattern LOADED = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)");
    /** ldd's lines: "libx.so.1 => /lib/.../libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)". */
    static final Pattern LIBRARY = Pattern.compile("(?:=> )?(/\\S+) \\(0x[0-9a-f]+\\)");

    @TempDir Path tmp;

    @Test
    @Feature("nsd-knot")
    void dnsServerImageAnswersAsNsdImageDoes() throws Exception {
        Dns.IMAGE.requireBuilt();
        Path archive = ociArchive();
        List<ServerProcess.ZoneFile> zones = List.of(new ServerProcess.ZoneFile("example.com",
                DnsDifferentialIT.EMBEDDED_ZONE.toAbsolutePath()));
        List<Probe> sample = sample(QueryCorpus.build(zones));
        Allowlist allowlist = Allowlist.load(DnsDifferentialIT.ALLOWLIST);

        try (ContainerEngine engine = ContainerEngine.reachable(Path.of("target", "podman-service.log"))) {
            Matcher loaded = LOADED.matcher(ContainerEngine.podman("load", "-i", archive.toString()));
            assertTrue(loaded.find(), "podman load named no image for " + archive);
            String atollImage = loaded.group(1);
            buildNsdImage(tmp.resolve("nsd-image"), zones.getFirst().file());

            List<String> unexplained = new ArrayList<>();
            int answered = 0;
            try (ServerProcess nsd = inContainer("nsd", NSD_IMAGE);
                 ServerProcess atoll = inContainer("dns-server", atollImage, "--listen=0.0.0.0")) {
                for (int i = 0; i < sample.size(); i++) {
                    Probe probe = sample.get(i);
                    Message query = probe.toMessage(i);
                    Observed ours = Observed.of(probe.tcp() ? atoll.queryTcp(query) : atoll.query(query));
                    Observed theirs = Observed.of(probe.tcp() ? nsd.queryTcp(query) : nsd.query(query));
                    if (ours.get("reply").equals("received") && theirs.get("reply").equals("received")) answered++;
                    for (String aspect : ours.differingAspects(theirs)) {
                        if (allowlist.covering("nsd", aspect, probe.label()) == null) {
                            unexplained.add(aspect + " | " + probe.label() + "\n    dns-server: " + ours.get(aspect)
                                    + "\n    nsd: " + theirs.get(aspect));
                        }
                    }
                }
            } finally {
                ContainerEngine.podman("rmi", "-f", NSD_IMAGE);
            }
            System.out.println("containerised comparison: " + sample.size() + " queries, " + answered
                    + " answered by both, " + unexplained.size() + " unexplained differences");
            assertEquals(QUERIES, sample.size());
            assertEquals(sample.size(), answered, "both containers answer every query of the sample");
            if (!unexplained.isEmpty()) {
                fail(unexplained.size() + " differences not in " + DnsDifferentialIT.ALLOWLIST + ":\n"
                        + String.join("\n", unexplained));
            }
        }
    }

    /** Every k-th example.com query of the corpus, so the sample spans its types and EDNS choices. */
    static List<Probe> sample(List<Probe> corpus) {
        List<Probe> ours = corpus.stream()
                .filter(p -> p.name().toLowerCase(Locale.ROOT).endsWith("example.com.")).toList();
        int stride = Math.max(1, ours.size() / QUERIES);
        List<Probe> sample = new ArrayList<>();
        for (int i = 0; i < ours.size() && sample.size() < QUERIES; i += stride) sample.add(ours.get(i));
        return sample;
    }

    /** {@code appliances/dns-server/target/dns-server-<version>-oci.tar}, written by mvn package. */
    static Path ociArchive() throws IOException {
        Path target = Image.ROOT.resolve("appliances/dns-server/target");
        try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "dns-server-*-oci.tar")) {
            for (Path p : found) return p;
        }
        throw new AssertionError("no dns-server-*-oci.tar in " + target + ": run mvn package first");
    }

    /**
     * The reference image, {@code FROM scratch}: NSD, the libraries and loader ldd names (at the
     * same paths), its configuration and the zone; built with {@code podman build --pull=never}.
     */
    static void buildNsdImage(Path context, Path zone) throws Exception {
        Path nsd = atoll.conformance.Peer.require("nsd", "nsd");
        Path root = context.resolve("rootfs");
        List<Path> files = new ArrayList<>(List.of(nsd));
        Matcher lib = LIBRARY.matcher(atoll.conformance.Peer.ok("ldd", "libc-bin", nsd.toString()));
        while (lib.find()) files.add(Path.of(lib.group(1)));
        for (Path f : files) {
            Path to = root.resolve(f.toString().substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING); // follows links: the file itself
        }
        Path state = root.resolve(NSD_DIR.toString().substring(1));
        Files.createDirectories(state);
        Files.createDirectories(root.resolve("tmp"));
        Path zoneInImage = NSD_DIR.resolve("example.com.zone");
        Files.copy(zone, state.resolve("example.com.zone"));
        Files.createDirectories(root.resolve("etc/nsd"));
        Files.writeString(root.resolve("etc/nsd/nsd.conf"), ServerProcess.nsdConf("0.0.0.0", CONTAINER_PORT, NSD_DIR,
                List.of(new ServerProcess.ZoneFile("example.com", zoneInImage))));
        Files.writeString(context.resolve("Containerfile"), """
                FROM scratch
                COPY rootfs/ /
                ENTRYPOINT ["/usr/sbin/nsd", "-d", "-c", "/etc/nsd/nsd.conf"]
                """);
        ContainerEngine.podman("build", "--pull=never", "-t", NSD_IMAGE, "-f", context.resolve("Containerfile").toString(),
                context.toString());
    }

    /**
     * {@code image} under Testcontainers, never pulled, its DNS port (UDP and TCP) published on
     * 127.0.0.1 only; ready once it answers there ({@link ServerProcess#attach}).
     */
    static ServerProcess inContainer(String name, String image, String... command) throws IOException {
        int port = Ports.freeTcpAndUdp();
        ExposedPort udp = ExposedPort.udp(CONTAINER_PORT), tcp = ExposedPort.tcp(CONTAINER_PORT);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(never -> false)
                .withCommand(command)
                // Readiness is a DNS answer on the published port (ServerProcess.attach), not a shell in the image.
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {}
                })
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withExposedPorts(udp, tcp);
                    cmd.getHostConfig().withPortBindings(
                            new PortBinding(com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", port), udp),
                            new PortBinding(com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", port), tcp));
                });
        c.start();
        return ServerProcess.attach(name, port, new InContainer(c));
    }

    /** A running container as ServerProcess sees a server. */
    private record InContainer(GenericContainer<?> container) implements ServerProcess.Running {
        @Override
        public boolean alive() {
            return container.isRunning();
        }

        @Override
        public String exit() {
            return String.valueOf(container.getCurrentContainerInfo().getState().getExitCodeLong());
        }

        @Override
        public String log() {
            return container.getLogs().lines().limit(60).collect(Collectors.joining("\n"));
        }

        @Override
        public void stop() {
            container.stop();
        }
    }
}
