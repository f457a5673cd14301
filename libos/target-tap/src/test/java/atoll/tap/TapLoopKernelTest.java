package atoll.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.testkit.netns.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tap target's event loop against the kernel, inside a namespace this test creates: the
 * kernel's ARP requests for 192.0.2.2 (a ping from the namespace) must reach the loop as frames,
 * a clock timer must fire on the loop thread, and shutdown must leave no buffer out.
 */
class TapLoopKernelTest {
    @Test
    void loopReadsTheKernelsFramesAndFiresTimers(@TempDir Path dir) throws Exception {
        NetworkNamespace.requireCommand("ping", "iputils-ping");
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
            ns.ip("address", "add", "192.0.2.1/24", "dev", "atoll0");
            ns.ip("link", "set", "atoll0", "up");
            Path log = dir.resolve("probe.log");
            Process probe = ns.start(NetworkNamespace.javaCommand(LoopProbe.class, "atoll0"), log);
            for (int i = 0; i < 600 && !Files.readString(log).contains("ready") && probe.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(log).contains("ready"), Files.readString(log));
            // No stack answers yet, so ping fails; its ARP requests are the frames the loop must see.
            ns.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-W", "1", "192.0.2.2");
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
            String out = Files.readString(log);
            assertEquals(0, probe.exitValue(), out);
            assertTrue(out.contains("ok rx="), out);
        }
    }
}
