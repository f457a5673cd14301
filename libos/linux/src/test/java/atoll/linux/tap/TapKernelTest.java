package atoll.linux.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.testkit.netns.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TAP device against its real peer, the Linux kernel, inside a network namespace this test
 * creates and deletes: the kernel side of the device holds 192.0.2.1/24; a child JVM in the
 * namespace writes an ARP request for it and must read the kernel's reply.
 */
class TapKernelTest {
    private static final String DEVICE = "atoll0";
    private static final String OUR_MAC = "02:00:00:00:00:02";

    @Test
    void kernelAnswersAnArpRequestWrittenToTheTapDevice(@TempDir Path dir) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("tuntap", "add", "dev", DEVICE, "mode", "tap");
            ns.ip("address", "add", "192.0.2.1/24", "dev", DEVICE);
            ns.ip("link", "set", DEVICE, "up");
            String kernelMac = ns.execOk("cat", "/sys/class/net/" + DEVICE + "/address").strip();

            Path log = dir.resolve("probe.log");
            Process probe = ns.start(NetworkNamespace.javaCommand(ArpProbe.class, DEVICE, OUR_MAC, "192.0.2.2",
                    "192.0.2.1"), log);
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
            String out = Files.readString(log).strip();
            assertEquals(0, probe.exitValue(), out);
            // The reply's sender is the kernel's side of the device, and the device reports the
            // same address and the default MTU it was created with.
            assertTrue(out.endsWith("reply " + kernelMac + " mtu 1500 kernel " + kernelMac), out);
        }
    }
}
