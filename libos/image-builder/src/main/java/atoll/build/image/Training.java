package atoll.build.image;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training run that makes an image's AOT cache (JDK 25: JEP 483's cache, written in one step
 * with JEP 514's {@code -XX:AOTCacheOutput}, holding JEP 515's method profiles).
 *
 * <p>It runs the image's own launcher, which asks the JVM for the cache because {@code cache/} is
 * there and empty, with the spec's training arguments on a free loopback port; waits for the
 * runtime's {@code ready} line; runs the training client (if any) from the image against
 * {@code 127.0.0.1 PORT}; then sends SIGTERM, so the orderly stop is part of the training too. The
 * JVM writes the cache at exit. Loopback only.
 *
 * <p>The cache is not reproducible (which classes a run loads and the profiles it records depend
 * on timing) and it is bound to the image's absolute location, so it stays out of the manifest and
 * the archive; an unpacked archive makes its own at its first start.
 */
final class Training {
    static final String CACHE_DIR = "cache";
    /** The line libos's runtime logs once the appliance serves (atoll.libos.runtime.Launcher). */
    private static final String READY = " ready on target ";
    private static final long READY_SECONDS = 120, CLIENT_SECONDS = 120, EXIT_SECONDS = 300;

    private Training() {}

    /** Runs the training; returns the cache's size in bytes. */
    static long run(ImageSpec spec, Path image) throws IOException {
        Path cache = image.resolve(CACHE_DIR).resolve(spec.name() + ".aot");
        Path state = Files.createTempDirectory("atoll-training-state");
        try {
            int port = freeLoopbackPort();
            List<String> cmd = new ArrayList<>();
            cmd.add(image.resolve("bin").resolve(spec.name()).toString());
            for (String a : spec.trainArgs()) cmd.add(a.replace("{port}", Integer.toString(port)));
            cmd.add("--state.dir=" + state);
            // Output to a file, not a pipe: Process.destroy() closes our end of a pipe, and the
            // JVM's stop lines and the cache-writing child it starts at exit would write into it.
            Path logFile = state.resolveSibling(state.getFileName() + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
            pb.environment().remove("ATOLL_JAVA_OPTS");
            pb.environment().remove("ATOLL_AOT_CACHE");
            Process p = pb.start();
            p.getOutputStream().close();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
                while (!Files.readString(logFile, StandardCharsets.UTF_8).contains(READY)) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException("training run of " + spec.name() + " never became ready: " + cmd + "\n" + log(logFile));
                    }
                    Thread.sleep(50);
                }
                if (spec.trainClient() != null) client(spec, image, port);
                p.toHandle().destroy(); // SIGTERM: the orderly stop; the JVM writes the cache at exit
                if (!p.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) throw new IOException("training run did not exit\n" + log(logFile));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted during the training run", e);
            } finally {
                p.destroyForcibly();
            }
            String log = log(logFile);
            Files.deleteIfExists(logFile);
            if (p.exitValue() != 0 || !Files.isRegularFile(cache)) {
                throw new IOException("training run exited " + p.exitValue() + " without an AOT cache " + cache + ": " + cmd + "\n" + log);
            }
            return Files.size(cache);
        } finally {
            deleteTree(state);
        }
    }

    private static String log(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static void client(ImageSpec spec, Path image, int port) throws IOException, InterruptedException {
        List<String> cmd = List.of(image.resolve("runtime/bin/java").toString(), "-XX:+UseSerialGC",
                "--module-path", image.resolve("app").toString(), "-m", spec.trainClient(), "127.0.0.1", Integer.toString(port));
        Process c = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        c.getOutputStream().close();
        byte[] out = c.getInputStream().readAllBytes();
        if (!c.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS) || c.exitValue() != 0) {
            c.destroyForcibly();
            throw new IOException("training client failed: " + cmd + "\n" + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** A loopback port free for both UDP and TCP when asked (an appliance may bind both). */
    static int freeLoopbackPort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramChannel u = DatagramChannel.open()) {
                u.bind(new InetSocketAddress(lo, 0));
                int port = ((InetSocketAddress) u.getLocalAddress()).getPort();
                try (ServerSocket t = new ServerSocket()) {
                    t.bind(new InetSocketAddress(lo, port));
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
