package atoll.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stock appliances and where this checkout keeps what deploy/ refers to. */
final class Appliances {
    static final List<String> STOCK = List.of("dns-server", "https-static", "openvpn-gw", "ssh-bastion");

    private Appliances() {}

    static Path root() {
        String root = System.getProperty("atoll.root");
        if (root == null) throw new IllegalStateException("atoll.root is not set (run through Maven)");
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    /** Runs a command to completion (bounded), returning its exit status and merged output. */
    static Result run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The built image's launcher; fails naming the command that builds it. */
    static Path launcher(String appliance) {
        Path bin = root().resolve("appliances").resolve(appliance).resolve("target/image/bin").resolve(appliance);
        if (!Files.isExecutable(bin)) {
            throw new AssertionError(bin + " is missing: build the images first (./atoll image " + appliance
                    + ", or mvn verify without -Dimage.skip=true)");
        }
        return bin;
    }

    record Result(int status, String output) {}
}
