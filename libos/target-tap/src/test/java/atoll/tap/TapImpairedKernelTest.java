package atoll.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.testkit.netns.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP bulk data between Atoll's stack on the tap target and the Linux kernel while nftables, inside
 * the namespace the test creates and deletes, drops a share of the TCP segments crossing the TAP
 * device in both directions. {@code tc netem} is not available on this kernel; nftables can drop
 * but not reorder, so this test covers loss only (reordering is covered over the testkit's
 * in-memory {@code Link}). The drop decision is nftables' {@code numgen random}, not seeded.
 */
class TapImpairedKernelTest {
    /** Share of TCP segments dropped on each direction of the TAP device, in percent. */
    private static final int DROP_PERCENT = 3;
    /** Bytes sent (and echoed back) in each role: 4 MiB. */
    private static final long BYTES = 4L << 20;
    private static final String TABLE = "atoll_impair";
    private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes \\d+ drop");

    @TempDir
    Path dir;
    private NetworkNamespace ns;
    private Process server;
    private Path serverLog;
    private Path stop;

    @BeforeEach
    void createNamespace() {
        NetworkNamespace.requireCommand("nft", "nftables");
        ns = NetworkNamespace.create();
        ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
        ns.ip("address", "add", "192.0.2.1/24", "dev", "atoll0");
        ns.ip("link", "set", "atoll0", "up");
        serverLog = dir.resolve("server.log");
        stop = dir.resolve("stop");
    }

    /** Stops the server cleanly and checks it leaked nothing; always deletes the namespace. */
    @AfterEach
    void stopServer() throws Exception {
        try {
            if (server != null) {
                Files.writeString(stop, "stop");
                assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
                String log = Files.readString(serverLog);
                assertEquals(0, server.exitValue(), log);
                assertTrue(log.contains("\nok"), log);
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    /**
     * Input hook: segments the stack sends, as the kernel receives them from the TAP device.
     * Output hook: segments the kernel sends to the stack. Each drop rule counts what it dropped.
     */
    private void addDropRules() {
        ns.execOk("nft", "add", "table", "inet", TABLE);
        for (String[] hook : new String[][] {{"in", "input", "iifname"}, {"out", "output", "oifname"}}) {
            ns.execOk("nft", "add", "chain", "inet", TABLE, hook[0], "{", "type", "filter", "hook", hook[1],
                    "priority", "0", ";", "policy", "accept", ";", "}");
            ns.execOk("nft", "add", "rule", "inet", TABLE, hook[0], hook[2], "atoll0", "meta", "l4proto", "tcp",
                    "numgen", "random", "mod", "100", "<", Integer.toString(DROP_PERCENT), "counter", "drop");
        }
    }

    /** The drop counters of the input and output rules, in that order, from {@code nft list}. */
    private List<Long> dropCounts() {
        List<Long> counts = new ArrayList<>();
        for (String chain : List.of("in", "out")) {
            String listing = ns.execOk("nft", "list", "chain", "inet", TABLE, chain);
            Matcher m = COUNTER.matcher(listing);
            assertTrue(m.find(), "no drop counter in: " + listing);
            counts.add(Long.parseLong(m.group(1)));
        }
        return counts;
    }

    @Test
    void bulkBothWaysIsBitExactWhileNftablesDropsSegments() throws Exception {
        addDropRules();
        assertEquals(List.of(0L, 0L), dropCounts());

        // The stack as client of the kernel's TCP server: BYTES sent and echoed back.
        Path kernelLog = dir.resolve("kernel-server.log");
        Process kernel = ns.start(NetworkNamespace.javaCommand(TcpEchoServer.class, "192.0.2.1", "9000"), kernelLog);
        for (int i = 0; i < 600 && kernel.isAlive() && !Files.readString(kernelLog).contains("listening"); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(kernelLog).contains("listening"), Files.readString(kernelLog));
        server = ns.start(NetworkNamespace.javaCommand(TapServer.class, stop.toString(),
                "connect=192.0.2.1:9000:" + BYTES), serverLog);
        for (int i = 0; i < 2400 && server.isAlive() && !Files.readString(serverLog).contains("client "); i++) {
            Thread.sleep(50);
        }
        String log = Files.readString(serverLog);
        assertTrue(log.contains("client sent " + BYTES + " received " + BYTES + " sha256 ok"), log);
        assertTrue(kernel.waitFor(60, TimeUnit.SECONDS), "kernel server did not finish");
        assertTrue(Files.readString(kernelLog).contains("echoed " + BYTES), Files.readString(kernelLog));
        List<Long> afterStackClient = dropCounts();

        // The kernel as client of the stack's echo server (port 7, same child JVM).
        Path clientLog = dir.resolve("client.log");
        Process client = ns.start(NetworkNamespace.javaCommand(TcpBulkClient.class, "192.0.2.2", "7",
                Long.toString(BYTES)), clientLog);
        assertTrue(client.waitFor(180, TimeUnit.SECONDS), "client did not finish");
        String out = Files.readString(clientLog);
        assertEquals(0, client.exitValue(), out + "\n" + Files.readString(serverLog));
        assertTrue(out.contains("sent " + BYTES + " received " + BYTES + " sha256 ok"), out);
        List<Long> afterKernelClient = dropCounts();

        // The rules really dropped segments, in each direction, during each of the two transfers.
        System.out.println("nftables drops (in, out): after stack client " + afterStackClient
                + ", after kernel client " + afterKernelClient);
        for (int i = 0; i < 2; i++) {
            assertTrue(afterStackClient.get(i) > 0, "no segment dropped while the stack was client: "
                    + afterStackClient);
            assertTrue(afterKernelClient.get(i) > afterStackClient.get(i),
                    "no segment dropped while the kernel was client: " + afterStackClient + " -> "
                            + afterKernelClient);
        }
    }
}
