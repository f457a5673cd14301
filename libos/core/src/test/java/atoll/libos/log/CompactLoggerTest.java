package atoll.libos.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated // the level and output are global
class CompactLoggerTest {
    private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Level saved;

    @BeforeEach
    void capture() {
        saved = AtollLog.level();
        AtollLog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        AtollLog.setLevel(Level.INFO);
    }

    @AfterEach
    void restore() {
        AtollLog.setOutput(null);
        AtollLog.setLevel(saved);
    }

    private String[] lines() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? new String[0] : s.split("\n");
    }

    @Test
    void isTheInstalledLoggerFinder() {
        assertInstanceOf(CompactLoggerFinder.class, System.LoggerFinder.getLoggerFinder());
        System.getLogger("dns-server").log(Level.INFO, "via System.getLogger");
        assertEquals(1, lines().length);
        assertTrue(lines()[0].endsWith(" INFO  dns-server: via System.getLogger"), lines()[0]);
    }

    @Test
    void oneLinePerRecordInTheCompactFormat() {
        System.Logger log = System.getLogger("dns-server");
        log.log(Level.INFO, "answering on {0} port {1}", "127.0.0.1", 5353);
        log.log(Level.WARNING, "careful");
        log.log(Level.ERROR, "plain {0} when no params");
        String[] l = lines();
        assertEquals(3, l.length);
        assertTrue(l[0].matches(STAMP + " INFO  dns-server: answering on 127\\.0\\.0\\.1 port 5,353|"
                + STAMP + " INFO  dns-server: answering on 127\\.0\\.0\\.1 port 5353"), l[0]);
        assertTrue(l[1].matches(STAMP + " WARN  dns-server: careful"), l[1]);
        assertTrue(l[2].matches(STAMP + " ERROR dns-server: plain \\{0\\} when no params"), l[2]);
    }

    @Test
    void levelFiltersAndCanChangeAtRunTime() {
        System.Logger log = System.getLogger("t");
        log.log(Level.DEBUG, "hidden");
        assertFalse(log.isLoggable(Level.DEBUG));
        assertTrue(log.isLoggable(Level.INFO));
        AtollLog.setLevel(Level.DEBUG);
        log.log(Level.DEBUG, "shown");
        assertTrue(log.isLoggable(Level.DEBUG));
        AtollLog.setLevel(Level.OFF);
        log.log(Level.ERROR, "hidden too");
        assertFalse(log.isLoggable(Level.ERROR));
        String[] l = lines();
        assertEquals(1, l.length);
        assertTrue(l[0].endsWith(" DEBUG t: shown"), l[0]);
        assertFalse(log.isLoggable(Level.OFF));
    }

    @Test
    void throwableOnTheSameLineAndStackOnlyAtDebug() {
        System.Logger log = System.getLogger("x");
        log.log(Level.WARNING, "read failed", new IOException("connection reset"));
        String[] l = lines();
        assertEquals(1, l.length);
        assertTrue(l[0].endsWith(" WARN  x: read failed: java.io.IOException: connection reset"), l[0]);

        bytes.reset();
        AtollLog.setLevel(Level.DEBUG);
        log.log(Level.WARNING, "read failed", new IOException("again"));
        l = lines();
        assertTrue(l.length > 1, "stack trace expected");
        assertTrue(l[0].endsWith("x: read failed: java.io.IOException: again"), l[0]);
        assertEquals("java.io.IOException: again", l[1]);
        assertTrue(l[2].contains("\tat "), l[2]);
    }

    @Test
    void controlCharactersCannotForgeLines() {
        System.getLogger("x").log(Level.INFO, "name {0}", "evil\n2026-01-01T00:00:00.000Z INFO  x: forged\u0007");
        String[] l = lines();
        assertEquals(1, l.length);
        assertTrue(l[0].endsWith("name evil\\n2026-01-01T00:00:00.000Z INFO  x: forged\\u0007"), l[0]);
    }

    @Test
    void concurrentWritersNeverInterleave() throws Exception {
        int threads = 4;
        int each = 200;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                System.Logger log = System.getLogger("w" + id);
                for (int i = 0; i < each; i++) {
                    log.log(Level.INFO, "record {0}", i);
                }
            });
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        String[] l = lines();
        assertEquals(threads * each, l.length);
        for (String line : l) {
            assertTrue(line.matches(STAMP + " INFO  w\\d: record \\d+"), line);
        }
    }
}
