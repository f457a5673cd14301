package atoll.dns.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The built image under the operator mistakes and signals an attack probe tried: every start-up
 * error is exit 64 and one line without Java class names; SIGHUP reloads the zone file (and keeps
 * the old zone when the new one is broken); SIGUSR1 and SIGUSR2 leave it serving with one log line
 * each; zone-file octets reach dig unchanged; an RRset too large for any message is TC=1 over UDP
 * and SERVFAIL over TCP to dig and kdig. Loopback only; every wait is bounded.
 */
class ResilienceIT {
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

    @Test
    void signalsOctetsAndAnRRsetTooLargeForAnyMessage() throws Exception {
        Path zone = tmp.resolve("example.com.zone");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 300; i++) { // about 79 000 octets of TXT
            big.append("big TXT \"").append(String.format("%03d", i)).append("z".repeat(247)).append("\"\n");
        }
        // "caf" + UTF-8 é (c3 a9), and a comment holding an octet that is not UTF-8.
        Files.write(zone, (HEAD.formatted(1) + "v TXT \"caf\u00c3\u00a9\" ; \u00ff\n" + big)
                .getBytes(StandardCharsets.ISO_8859_1));
        int port = ImageIT.freePort();
        Path log = tmp.resolve("server.log");
        Process p = new ProcessBuilder(ImageIT.LAUNCHER.toString(), "--listen=127.0.0.1", "--port=" + port,
                "--state.dir=" + tmp.resolve("state"), "--zones=example.com.=" + zone)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(p, log, " ready on target ");
            assertTrue(Files.readString(log).contains("does not fit in a DNS message"), Files.readString(log));

            // RFC 1035 §5.1: the octets of the file, shown by dig as \DDD.
            assertEquals("\"caf\\195\\169\"\n", dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));

            String udp = dig(port, "@127.0.0.1", "+notcp", "+ignore", "big.example.com", "TXT");
            assertTrue(udp.matches("(?s).*flags: qr aa tc;.*"), udp);
            String tcp = dig(port, "@127.0.0.1", "+tcp", "big.example.com", "TXT");
            assertTrue(tcp.contains("status: SERVFAIL"), tcp);
            String kdig = DigIT.hostClient("kdig", "knot-dnsutils", "@127.0.0.1", "-p", String.valueOf(port), "+tcp",
                    "+norecurse", "big.example.com", "TXT");
            assertTrue(kdig.contains("status: SERVFAIL"), kdig);

            // SIGHUP: the new file is served; a broken one is refused and the old data stays.
            Files.write(zone, (HEAD.formatted(2) + "v TXT \"two\"\n").getBytes(StandardCharsets.US_ASCII));
            signal("HUP", p);
            awaitLine(p, log, " INFO  dns-server: reloaded: loaded zone example.com. from " + zone + ": 4 records, serial 2");
            assertEquals("\"two\"\n", dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));
            Files.write(zone, (HEAD.formatted(3) + "v TXT \"three\"\nw A 192.0.2.300\n").getBytes(StandardCharsets.US_ASCII));
            signal("HUP", p);
            awaitLine(p, log, " ERROR dns-server: reload failed, still serving the previous data: " + zone
                    + ":7: bad IPv4 address '192.0.2.300'");
            assertEquals("\"two\"\n", dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));

            signal("USR1", p);
            awaitLine(p, log, " INFO  dns-server: SIGUSR1: metrics: ");
            signal("USR2", p);
            awaitLine(p, log, " INFO  dns-server: SIGUSR2: no action is assigned to it; still serving");
            assertEquals("\"two\"\n", dig(port, "@127.0.0.1", "+short", "v.example.com", "TXT"));

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(ImageIT.RUN_BOUND_SECONDS, TimeUnit.SECONDS), "did not stop");
            String all = Files.readString(log);
            assertEquals(0, p.exitValue(), all);
            assertTrue(all.strip().endsWith("INFO  dns-server: stopped"), all);
            // Only the appliance's own log lines: no JVM warning, no stack trace.
            for (String l : all.lines().toList()) {
                assertTrue(l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+Z (INFO |WARN |ERROR|DEBUG) dns-server: .*"), "unexpected: " + l);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    static String dig(int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-p", String.valueOf(port), "+norecurse", "+tries=1", "+time=5"));
        all.addAll(List.of(args));
        return DigIT.hostClient("dig", "dnsutils", all.toArray(String[]::new));
    }

    private static void signal(String name, Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    /** Waits (bounded) until the log holds a line containing {@code text}; fails if the process exits first. */
    static void awaitLine(Process p, Path log, String text) throws Exception {
        for (int i = 0; i < ImageIT.READY_ATTEMPTS; i++) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                fail("exited with " + p.exitValue() + " before '" + text + "':\n" + Files.readString(log));
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        fail("no '" + text + "' in the log:\n" + Files.readString(log));
    }
}
