package atoll.build.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the symbols of the runtime's native libraries out of the image, the way distributions
 * ship {@code -dbgsym} packages: each {@code runtime/**.so} keeps only what the dynamic loader
 * needs ({@code objcopy --strip-unneeded}, binutils), and its symbol table and any debug sections
 * go to {@code <same path>.debug} in a separate tree that becomes the reproducible debug archive.
 * The build ID note stays in both halves, so a debugger matches them and a crash log's addresses
 * can still be symbolised ({@code gdb}: {@code symbol-file runtime/lib/server/libjvm.so.debug}).
 *
 * <p>objcopy writes the same bytes for the same input and binutils version. Without objcopy the
 * libraries are left as they are and the build says so.
 */
final class NativeSymbols {
    private NativeSymbols() {}

    static final String OBJCOPY = "objcopy";

    /** Whether objcopy can be run. */
    static boolean available() {
        try {
            return run(List.of(OBJCOPY, "--version")).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Strips every {@code .so} under {@code runtime}; the debug halves go under {@code debugRoot}
     * at the same relative path (from the image root {@code image}) plus {@code .debug}.
     *
     * @return the relative paths stripped, sorted
     */
    static List<String> strip(Path image, Path runtime, Path debugRoot) throws IOException {
        List<String> done = new ArrayList<>();
        for (Path p : ImageBuilder.walk(runtime)) {
            if (!Files.isRegularFile(p) || Files.isSymbolicLink(p) || !p.getFileName().toString().endsWith(".so")) continue;
            String rel = ImageBuilder.relative(image, p);
            Path debug = debugRoot.resolve(rel + ".debug");
            Files.createDirectories(debug.getParent());
            check(run(List.of(OBJCOPY, "--only-keep-debug", p.toString(), debug.toString())), p);
            check(run(List.of(OBJCOPY, "--strip-unneeded", "--remove-section=.comment", p.toString())), p);
            done.add(rel);
        }
        return done;
    }

    private static void check(String error, Path lib) throws IOException {
        if (!error.isEmpty()) throw new IOException("objcopy failed on " + lib + ": " + error);
    }

    /** Runs a command; returns "" on exit 0, else its status and output. */
    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            int status = p.waitFor();
            return status == 0 ? "" : "exit " + status + ": " + out.strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + cmd, e);
        }
    }
}
