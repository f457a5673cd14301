package atoll.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real programs the suites drive (dig, curl, openssl, ssh, chromium...), run as child
 * processes with stdin closed, stdout and stderr merged, and a bound on their run. A peer that is
 * not installed fails the test naming the Debian package to install (DESIGN §8: never a silent
 * skip).
 */
public final class Peer {
    /** Upper bound on one peer run, so a hang fails the test instead of the build. */
    public static final long BOUND_SECONDS = 120;

    public record Result(int status, String out) {}

    private Peer() {}

    /** Runs {@code tool args}; returns its exit status and output. */
    public static Result run(String tool, String debianPackage, List<String> args) throws Exception {
        return run(tool, debianPackage, args, Map.of());
    }

    /** Runs {@code tool args} with {@code env} added to the environment. */
    public static Result run(String tool, String debianPackage, List<String> args, Map<String, String> env)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().putAll(env);
        Process p;
        try {
            p = b.start();
        } catch (IOException missing) {
            throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage, missing);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + BOUND_SECONDS + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs {@code tool args}, fails the test unless it exits 0, and returns its output. */
    public static String ok(String tool, String debianPackage, String... args) throws Exception {
        Result r = run(tool, debianPackage, List.of(args));
        assertEquals(0, r.status(), () -> tool + " " + String.join(" ", args) + " failed:\n" + r.out());
        return r.out();
    }

    /**
     * The path of {@code tool}, looked up in PATH and in the sbin directories (where ip, nsd and
     * sshd live but a user's PATH may not reach); fails naming the Debian package when it is missing.
     */
    public static Path require(String tool, String debianPackage) {
        Set<String> dirs = new LinkedHashSet<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        throw new AssertionError(tool + " not found: apt-get install " + debianPackage);
    }
}
