package atoll.deploy;

import static atoll.deploy.Podman.IMAGE_USER;
import static atoll.deploy.Podman.ok;
import static atoll.deploy.Podman.podman;
import static atoll.deploy.Podman.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every stock appliance's OCI image ({@code target/<name>-<version>-oci.tar}, written by
 * atoll:image) under a real container engine: {@code podman load}, {@code podman run} as the
 * image's non-root user with the port published on 127.0.0.1 only and {@code --listen=0.0.0.0}
 * (inside its own network namespace), an answer from the protocol's real client, then
 * {@code podman stop} (SIGTERM) and exit status 0. The container and the image are removed
 * afterwards, also on failure. Needs root and the Debian packages podman, runc, dnsutils, curl,
 * openssh-client and openvpn (.ci/run installs them and writes podman's containers.conf).
 */
class ContainerIT {

    /** How a stock appliance is run in its container and asked for an answer. */
    enum Stock {
        /** The embedded zone (src/main/resources/zones/example.com.zone) answers over UDP and TCP. */
        DNS_SERVER("dns-server", 5300, true, true) {
            static final String WWW = "192.0.2.80";

            @Override
            void answers(int port, String logs, Path state) throws Exception {
                for (String transport : List.of("+notcp", "+tcp")) {
                    Podman.Out dig = run(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "www.example.com", "A",
                            "+norecurse", "+short", transport, "+time=2", "+tries=3"), 60);
                    assertEquals(WWW, ok(dig, "dig " + transport).strip());
                }
            }
        },
        /** The sample site over TLS with the development certificate made on first start (hence -k). */
        HTTPS_STATIC("https-static", 8443, true, false) {
            @Override
            void answers(int port, String logs, Path state) throws Exception {
                Podman.Out curl = run(List.of("curl", "-sS", "-k", "--max-time", "30", "https://127.0.0.1:" + port + "/"), 60);
                assertTrue(ok(curl, "curl -k").contains("<h1>It works: Atoll https-static</h1>"), curl.text());
            }
        },
        /** ssh-keyscan gets the ed25519 host key the appliance generated and logged on start. */
        SSH_BASTION("ssh-bastion", 2222, true, false) {
            @Override
            void answers(int port, String logs, Path state) throws Exception {
                Matcher logged = Pattern.compile("generated host key \\S+ ssh-ed25519 (\\S+)").matcher(logs);
                assertTrue(logged.find(), "no ed25519 host key in the log:\n" + logs);
                Podman.Out scan = run(List.of("ssh-keyscan", "-T", "20", "-t", "ed25519", "-p", Integer.toString(port), "127.0.0.1"), 60);
                String line = "[127.0.0.1]:" + port + " ssh-ed25519 " + logged.group(1);
                assertTrue(ok(scan, "ssh-keyscan").lines().anyMatch(line::equals), () -> "wanted " + line + ", got:\n" + scan.text());
            }
        },
        /**
         * The image's own {@code profile} command writes CA, server certificate, tls-crypt key and
         * a client profile into a state directory shared with the gateway's container; the real
         * OpenVPN client with that profile completes TLS, key method 2 and the pushed options.
         */
        OPENVPN_GW("openvpn-gw", 1194, false, true) {
            /** The OpenVPN client logs this once the tunnel would be up. */
            static final String COMPLETED = "Initialization Sequence Completed";
            /** Attempts (100 ms apart) to see the client finish: bounded, so a hung handshake fails. */
            static final int CLIENT_ATTEMPTS = 600;

            @Override
            Setup prepare(String id, int port, Path state) throws Exception {
                ok(podman("run", "--rm", "-v", state + ":/state", id, "profile", "alice", "--state.dir=/state",
                        "--remote=127.0.0.1:" + port, "--proto=udp"), "openvpn-gw profile (in the image)");
                return new Setup(List.of("-v", state + ":/state"), List.of("--state.dir=/state", "--proto=udp"));
            }

            @Override
            void answers(int port, String logs, Path state) throws Exception {
                Path profile = state.resolve("alice.ovpn");
                assertTrue(Files.readString(profile).contains("remote 127.0.0.1 " + port + "\n"), profile.toString());
                Path clientLog = state.resolveSibling("openvpn-client.log");
                Process client;
                try {
                    client = new ProcessBuilder("openvpn", "--config", profile.toString(), "--dev", "null", "--ifconfig-noexec",
                            "--verb", "3", "--connect-retry-max", "1").redirectErrorStream(true).redirectOutput(clientLog.toFile()).start();
                } catch (IOException missing) {
                    throw new AssertionError("openvpn is not installed: apt-get install openvpn", missing);
                }
                try {
                    String out = "";
                    for (int i = 0; i < CLIENT_ATTEMPTS && !out.contains(COMPLETED) && client.isAlive(); i++) {
                        Thread.sleep(100);
                        out = Files.readString(clientLog, StandardCharsets.UTF_8);
                    }
                    out = Files.readString(clientLog, StandardCharsets.UTF_8);
                    assertTrue(out.contains(COMPLETED), "the OpenVPN client did not complete:\n" + out);
                } finally {
                    client.destroy();
                    if (!client.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) client.destroyForcibly();
                }
            }
        };

        final String appliance;
        final int containerPort;
        final boolean tcp, udp;

        Stock(String appliance, int containerPort, boolean tcp, boolean udp) {
            this.appliance = appliance;
            this.containerPort = containerPort;
            this.tcp = tcp;
            this.udp = udp;
        }

        /** Work before the container starts, and what it adds to podman run's options and the appliance's arguments. */
        Setup prepare(String id, int port, Path state) throws Exception {
            return new Setup(List.of(), List.of());
        }

        abstract void answers(int port, String logs, Path state) throws Exception;
    }

    record Setup(List<String> podmanOptions, List<String> applianceArgs) {}

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stock.class)
    void loadsRunsAsNonRootAnswersAndStopsCleanly(Stock stock, @TempDir Path tmp) throws Exception {
        Path archive = Podman.ociArchive(stock.appliance);
        String id = Podman.configDigest(stock.appliance);
        int port = Podman.freePort();
        String name = "atoll-container-it-" + stock.appliance + "-" + ProcessHandle.current().pid() + "-" + port;
        // The state directory some appliances share with the host: writable by the image's user only.
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.setAttribute(state, "unix:uid", Integer.parseInt(IMAGE_USER));
        Files.setAttribute(state, "unix:gid", Integer.parseInt(IMAGE_USER));
        try {
            String loaded = ok(podman("load", "-i", archive.toString()), "podman load");
            assertTrue(loaded.contains("Loaded image: localhost/" + stock.appliance + ":" + Podman.version()), loaded);
            assertEquals(id, ok(podman("image", "inspect", "--format", "{{.Id}}", id), "podman image inspect").strip());
            try {
                Setup setup = stock.prepare(id, port, state);
                List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name));
                // Published on loopback only (network rule); inside its network namespace the appliance listens on every address.
                if (stock.udp) cmd.addAll(List.of("-p", "127.0.0.1:" + port + ":" + stock.containerPort + "/udp"));
                if (stock.tcp) cmd.addAll(List.of("-p", "127.0.0.1:" + port + ":" + stock.containerPort + "/tcp"));
                cmd.addAll(setup.podmanOptions());
                cmd.add(id);
                cmd.add("--listen=0.0.0.0");
                cmd.addAll(setup.applianceArgs());
                ok(podman(cmd.toArray(String[]::new)), "podman run");
                String logs = Podman.awaitReady(name);

                stock.answers(port, logs, state);

                // podman top reads the host's /proc: the JVM is pid 1 and runs as the image's user, not root.
                String top = ok(podman("top", name, "user", "pid", "args"), "podman top");
                String java = "/opt/" + stock.appliance + "/runtime/bin/java";
                assertTrue(top.lines().anyMatch(l -> l.startsWith(IMAGE_USER + " ") && l.contains(java)), top);

                ok(podman("stop", "-t", "20", name), "podman stop");
                String status = ok(podman("inspect", "--format", "{{.State.ExitCode}}", name), "podman inspect").strip();
                String stopped = podman("logs", name).text();
                assertEquals("0", status, "SIGTERM is an orderly stop (exit 0):\n" + stopped);
                assertTrue(stopped.contains("stopped"), "no orderly stop in the log (libos's Launcher logs 'stopped'):\n" + stopped);
            } finally {
                podman("rm", "-f", name);
            }
        } finally {
            // Another run may still use the image (then this fails and leaves it): never -f, which would remove its containers.
            podman("rmi", id);
        }
    }
}
