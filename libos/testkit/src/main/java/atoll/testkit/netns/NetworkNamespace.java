package atoll.testkit.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace a test creates, works in and always deletes (DESIGN §8 network rule): TAP
 * and veth devices, their addresses and the process under test all live inside it, so nothing a
 * test sends can leave the machine. Use only documentation addresses (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24) inside.
 *
 * <p>{@link #close} kills every process started in it and deletes it; a JVM shutdown hook deletes
 * any namespace still open when the test JVM ends (a test that died half-way). Commands are
 * bounded in time: one that does not finish is killed and the test fails.
 *
 * <p>Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's {@code ip}: without them
 * {@link #create} fails saying what is missing — it never skips.
 */
public final class NetworkNamespace implements AutoCloseable {
    /** Longest a setup command ({@code ip ...}) may take. */
    public static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();
    private static final String IP = findIp();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String ns : OPEN) {
                deleteQuietly(ns);
            }
        }, "netns-cleanup"));
    }

    private final String name;
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /**
     * Creates a namespace named {@code atoll-<pid>-<n>} with its loopback up.
     *
     * @throws AssertionError if not root or {@code ip} is missing, naming what is needed
     */
    public static NetworkNamespace create() {
        requirePrivileges();
        String name = "atoll-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        OPEN.add(name);
        Result r = runBounded(List.of(IP, "netns", "add", name), COMMAND_LIMIT);
        if (r.status() != 0) {
            OPEN.remove(name);
            throw new AssertionError("ip netns add " + name + " failed (" + r.status() + "): " + r.output());
        }
        NetworkNamespace ns = new NetworkNamespace(name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Fails (never skips) unless this process is root and iproute2 is installed. */
    public static void requirePrivileges() {
        if (IP == null) {
            throw new AssertionError("network namespace tests need iproute2's 'ip' (apt-get install iproute2)");
        }
        if (!isRoot()) {
            throw new AssertionError("network namespace tests need root (CAP_SYS_ADMIN, CAP_NET_ADMIN): run the"
                    + " tests as root, as CI does");
        }
    }

    public String name() {
        return name;
    }

    /**
     * Fails (never skips) unless {@code command} is on the PATH, naming the Debian package that
     * provides it.
     */
    public static void requireCommand(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new AssertionError("this test needs '" + command + "' (apt-get install " + debianPackage + ")");
    }

    /** Runs {@code ip ARGS} inside the namespace; fails the test if it fails. Returns its output. */
    public String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of(IP, "-n", name));
        cmd.addAll(List.of(args));
        Result r = runBounded(cmd, COMMAND_LIMIT);
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + r.status() + "): " + r.output());
        }
        return r.output();
    }

    /** Runs a command inside the namespace, at most {@code limit}; returns its status and output. */
    public Result exec(Duration limit, String... command) {
        return runBounded(execPrefix(List.of(command)), limit);
    }

    /** Runs a command inside the namespace and fails the test unless it exits 0; returns its output. */
    public String execOk(String... command) {
        Result r = exec(COMMAND_LIMIT, command);
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed in " + name + " (" + r.status() + "): "
                    + r.output());
        }
        return r.output();
    }

    /**
     * Starts a process inside the namespace, its standard output and error going to {@code log}.
     * {@link #close} kills it if it is still running.
     */
    public synchronized Process start(List<String> command, Path log) {
        if (closed) {
            throw new IllegalStateException("namespace " + name + " is closed");
        }
        ProcessBuilder pb = new ProcessBuilder(execPrefix(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The command line of a child JVM running {@code main} with this JVM's class path and native
     * access enabled (the class path is unnamed, hence ALL-UNNAMED here; an image names the
     * module).
     */
    public static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xshare:auto",
                main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private List<String> execPrefix(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(IP, "netns", "exec", name));
        cmd.addAll(command);
        return cmd;
    }

    /** Kills the processes started in the namespace, waits for them, and deletes it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Result r = runBounded(List.of(IP, "netns", "delete", name), COMMAND_LIMIT);
        OPEN.remove(name);
        if (r.status() != 0) {
            throw new AssertionError("ip netns delete " + name + " failed (" + r.status() + "): " + r.output());
        }
    }

    /** A finished command: exit status (-1 if it was killed at its time limit) and merged output. */
    public record Result(int status, String output) {}

    private static Result runBounded(List<String> cmd, Duration limit) {
        try {
            Path out = Files.createTempFile("atoll-netns", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                p.getOutputStream().close();
                boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                return new Result(done ? p.exitValue() : -1, done ? text : text + " [killed after " + limit + "]");
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + cmd, e);
        }
    }

    private static void deleteQuietly(String ns) {
        try {
            Process p = new ProcessBuilder(IP, "netns", "delete", ns).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                in.readAllBytes();
            }
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // shutting down: nothing more to do
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static String findIp() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, "ip");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
