package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image under the operator mistakes an attack probe tried: every start-up error is exit
 * 64 and one line without Java class names, also data larger than the heap. (What the image does
 * under signals and odd zone data, seen by dig and kdig, is in conformance/'s ResilienceIT.)
 */
class ImageStartupErrorsIT {
    static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|sun|jdk)\\.[a-z]+\\.|[A-Za-z]+(Exception|Error)\\b");
    static final String HEAD = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster %d 7200 3600 1209600 300\n"
            + "  NS ns1\nns1 A 192.0.2.53\n";

    @TempDir Path tmp;

    @BeforeAll
    static void imageIsBuilt() {
        ImageIT.imageIsBuilt();
    }

    private ImageIT.Run run(String... args) throws Exception {
        return runWith(null, args);
    }

    /** Runs the launcher with {@code ATOLL_JAVA_OPTS} set to {@code javaOpts} (unless null). */
    private ImageIT.Run runWith(String javaOpts, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ImageIT.LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (javaOpts != null) {
            pb.environment().put("ATOLL_JAVA_OPTS", javaOpts);
        }
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile()).start();
        if (!p.waitFor(ImageIT.RUN_BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("did not exit: " + Files.readString(tmp.resolve("err")));
        }
        return new ImageIT.Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private String usageError(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--listen=127.0.0.1", "--port=" + ImageIT.freePort()));
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--state.dir="))) {
            all.add("--state.dir=" + tmp.resolve("state"));
        }
        all.addAll(List.of(args));
        ImageIT.Run r = run(all.toArray(String[]::new));
        ImageIT.assertOneLineUsageError(r);
        String line = r.stderrLines().getFirst();
        assertFalse(CLASS_NAME.matcher(line).find(), () -> "names a Java class: " + line);
        assertTrue(line.startsWith("dns-server: "), line);
        return line;
    }

    @Test
    void everyStartUpErrorIsExit64AndOneLineNamingTheKeyAndCause() throws Exception {
        assertTrue(usageError("--listen=").contains("'listen'"));
        assertTrue(usageError("--zones=x.=embedded:../../etc/passwd").contains("'zones'"));
        Path dir = Files.createDirectory(tmp.resolve("a-directory"));
        assertTrue(usageError("--config=" + dir).contains(dir + " (--config): is a directory"));
        assertTrue(usageError("--config=/proc/sys/vm/compact_memory").contains(": permission denied"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String state = usageError("--state.dir=" + file);
        assertTrue(state.contains("'state.dir'") && state.contains("is not a directory"), state);
        String data = usageError("--data.dir=" + tmp.resolve("absent"));
        assertTrue(data.contains("'data.dir'") && data.contains("does not exist"), data);
        assertTrue(usageError("--zones=example.com.=" + dir).endsWith(": is a directory"));
        assertTrue(usageError("--zones=example.com.=/proc/sys/vm/compact_memory").endsWith(": permission denied"));
    }

    /** Data larger than the heap the launcher gives is the operator's setting: exit 64, one line naming ATOLL_JAVA_OPTS. */
    @Test
    void aZoneLargerThanTheHeapIsExit64NamingAtollJavaOpts() throws Exception {
        Path zone = tmp.resolve("big.zone");
        StringBuilder z = new StringBuilder(HEAD.formatted(1));
        for (int i = 0; i < 100_000; i++) { // about 60 MiB of heap once loaded (perf/README.md)
            z.append('h').append(i).append(" A 192.0.").append((i >> 8) & 255).append('.').append(i & 255).append('\n');
        }
        Files.writeString(zone, z);
        ImageIT.Run r = runWith("-Xmx24m", "--listen=127.0.0.1", "--port=" + ImageIT.freePort(),
                "--state.dir=" + tmp.resolve("state"), "--zones=example.com.=" + zone);
        ImageIT.assertOneLineUsageError(r, "out of Java memory", "ATOLL_JAVA_OPTS");
        assertFalse(CLASS_NAME.matcher(r.stderr()).find(), r::stderr);
    }
}
