package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * dns-server's configuration edge cases, run in-process: each stops start-up with exit status 64
 * and one line naming the key (or file:line) and the cause, never a Java exception class.
 */
class DnsStartupErrorsTest {
    static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|sun|jdk)\\.[a-z]+\\.|[A-Za-z]+(Exception|Error)\\b");

    @TempDir Path tmp;

    private String usageError(String... args) throws InterruptedException {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("--port=0", "--listen=127.0.0.1",
                "--state.dir=" + tmp.resolve("state"), "--log.level=warning"));
        all.addAll(List.of(args));
        Running r = Launcher.start(new DnsServer(), "test", all.toArray(String[]::new), null,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertFalse(r.isRunning());
        assertEquals(Launcher.EX_USAGE, r.awaitExit(), e::toString);
        List<String> lines = e.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), () -> "exactly one line: " + lines);
        String line = lines.getFirst();
        assertFalse(CLASS_NAME.matcher(line).find(), () -> "names a Java class: " + line);
        return line;
    }

    @Test
    void emptyListenIsRefused() throws Exception {
        String line = usageError("--listen=");
        assertTrue(line.contains("configuration key 'listen'") && line.contains("a non-empty comma-separated list"), line);
    }

    @Test
    void badNsidAndMinimalAreRefused() throws Exception {
        String line = usageError("--nsid=hex:abc");
        assertTrue(line.contains("configuration key 'nsid'") && line.contains("hex:<even number of hex digits>"), line);
        line = usageError("--answers.minimal=sometimes");
        assertTrue(line.contains("configuration key 'answers.minimal'"), line);
    }

    @Test
    void anEmbeddedKeyCannotLeaveTheImagesData() throws Exception {
        String line = usageError("--zones=x.=embedded:../../etc/passwd");
        assertTrue(line.contains("configuration key 'zones'") && line.contains("no '..' segment"), line);
        line = usageError("--zones=x.=embedded:/etc/passwd");
        assertTrue(line.contains("configuration key 'zones'"), line);
    }

    @Test
    void aDirectoryAsTheZoneFile() throws Exception {
        String line = usageError("--zones=example.com.=" + tmp);
        assertTrue(line.contains("cannot read zone file " + tmp + " (configuration key 'zones', origin example.com.): is a directory"), line);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anUnreadableZoneFileGivesItsCause() throws Exception {
        Path writeOnly = Path.of("/proc/sys/vm/compact_memory"); // unreadable even by root
        assertTrue(Files.exists(writeOnly), "this test needs " + writeOnly);
        String line = usageError("--zones=example.com.=" + writeOnly);
        assertTrue(line.endsWith(": permission denied"), line);
    }

    @Test
    void aByteThatIsWrongWhereItStandsGivesFileAndLine() throws Exception {
        Path zone = tmp.resolve("bad-byte.zone");
        // Line 3's type is "A" followed by the octet 0xff (not UTF-8, not a type).
        byte[] text = ("$TTL 60\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN A\u00ff 192.0.2.1\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(zone, text);
        String line = usageError("--zones=example.com.=" + zone);
        assertEquals("dns-server: " + zone + ":3: unknown type 'A\\255'", line);
    }
}
