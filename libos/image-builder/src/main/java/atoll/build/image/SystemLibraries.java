package atoll.build.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system libraries a jlinked runtime needs beyond itself: for an OCI image that has no libc of
 * its own. The JDK's launcher and native libraries ({@code libjvm.so}, {@code libnio.so}, ...) are
 * linked against glibc; {@code ldd} (Debian package {@code libc-bin}) of every ELF file in
 * {@code runtime/} lists what the dynamic loader would map, and the closure of those outside the
 * runtime is what the image must carry: for a server runtime {@code libc.so.6}, {@code libm},
 * {@code libdl}, {@code libpthread}, {@code librt} and the loader {@code ld-linux-x86-64.so.2}
 * itself (the {@code PT_INTERP} of {@code bin/java}). Nothing else of the host goes in.
 *
 * <p>The files are the build host's: the OCI image's digest therefore depends on the host's glibc
 * package as well as on the commit (the SBOM names the glibc version).
 */
final class SystemLibraries {
    private SystemLibraries() {}

    static final String LDD = "ldd";

    /** {@code libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)} */
    private static final Pattern MAPPED = Pattern.compile("^\\s*(\\S+) => (/\\S+) \\(0x[0-9a-f]+\\)$");
    /** {@code /lib64/ld-linux-x86-64.so.2 (0x...)}: the loader, by its absolute name. */
    private static final Pattern ABSOLUTE = Pattern.compile("^\\s*(/\\S+) \\(0x[0-9a-f]+\\)$");
    /** {@code libjvm.so => not found}: fine when the runtime holds it (the JVM maps it first). */
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+) => not found$");

    /**
     * The libraries outside {@code runtime} that its ELF files need: absolute path in the image
     * (the path the loader looks at, e.g. {@code /lib/x86_64-linux-gnu/libc.so.6}) → the host file
     * holding it, sorted by path.
     */
    static Map<String, Path> closure(Path runtime) throws IOException {
        Path root = runtime.toRealPath();
        Set<String> inRuntime = new TreeSet<>();
        List<Path> elves = new ArrayList<>();
        for (Path p : ImageBuilder.walk(root)) {
            if (!Files.isRegularFile(p) || Files.isSymbolicLink(p)) continue;
            String n = p.getFileName().toString();
            if (n.endsWith(".so")) inRuntime.add(n);
            if (isElf(p)) elves.add(p);
        }
        Map<String, Path> libs = new TreeMap<>();
        for (Path elf : elves) {
            for (String line : ldd(elf).split("\n")) {
                if (line.isBlank() || line.contains("linux-vdso.so") || line.contains("statically linked")) continue;
                Matcher m;
                if ((m = MAPPED.matcher(line)).matches()) {
                    Path host = Path.of(m.group(2));
                    if (host.toRealPath().startsWith(root)) continue;
                    libs.put(m.group(2), host.toRealPath());
                } else if ((m = ABSOLUTE.matcher(line)).matches()) {
                    libs.put(m.group(1), Path.of(m.group(1)).toRealPath());
                } else if ((m = NOT_FOUND.matcher(line)).matches()) {
                    if (!inRuntime.contains(m.group(1))) throw new IOException(elf + " needs " + m.group(1) + ", found nowhere");
                } else {
                    throw new IOException("unexpected ldd output for " + elf + ": " + line);
                }
            }
        }
        return libs;
    }

    /** ELF magic (System V ABI: 0x7f 'E' 'L' 'F'). */
    private static boolean isElf(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
        }
    }

    private static String ldd(Path elf) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(LDD, elf.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("the OCI image needs ldd to find the runtime's system libraries: apt-get install libc-bin", e);
        }
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (p.waitFor() != 0) throw new IOException("ldd " + elf + " failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running ldd", e);
        }
        return out;
    }

    /** The host's glibc version ({@code getconf GNU_LIBC_VERSION} prints "glibc 2.36"), or "unknown". */
    static String glibcVersion() {
        try {
            Process p = new ProcessBuilder("getconf", "GNU_LIBC_VERSION").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (p.waitFor() == 0 && out.startsWith("glibc ")) return out.substring("glibc ".length());
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
