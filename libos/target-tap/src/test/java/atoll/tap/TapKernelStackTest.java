package atoll.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.testkit.netns.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atoll's stack on the tap target against the Linux kernel, inside a namespace each test creates
 * and deletes: the kernel's side of the TAP device is 192.0.2.1/24, the stack (a child JVM in the
 * namespace) is 192.0.2.2/24. The kernel's ping and UDP talk to it.
 */
class TapKernelStackTest {
    @TempDir
    Path dir;
    private NetworkNamespace ns;
    private Process server;
    private Path serverLog;
    private Path stop;

    @BeforeEach
    void createNamespace() {
        NetworkNamespace.requireCommand("ping", "iputils-ping");
        ns = NetworkNamespace.create();
        ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
        ns.ip("address", "add", "192.0.2.1/24", "dev", "atoll0");
        ns.ip("link", "set", "atoll0", "up");
        serverLog = dir.resolve("server.log");
        stop = dir.resolve("stop");
    }

    /** Starts the stack (a child JVM in the namespace) and waits until it serves. */
    private void startServer(String... extra) throws Exception {
        String[] args = new String[extra.length + 1];
        args[0] = stop.toString();
        System.arraycopy(extra, 0, args, 1, extra.length);
        server = ns.start(NetworkNamespace.javaCommand(TapServer.class, args), serverLog);
        for (int i = 0; i < 600 && server.isAlive() && !Files.readString(serverLog).contains("ready"); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(serverLog).contains("ready"), Files.readString(serverLog));
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

    @Test
    void kernelPingIsAnswered() throws Exception {
        startServer();
        NetworkNamespace.Result r = ns.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "2",
                "192.0.2.2");
        assertEquals(0, r.status(), r.output() + "\n" + Files.readString(serverLog));
        assertTrue(r.output().contains("3 packets transmitted, 3 received"), r.output());
        // The kernel resolved the stack's address by ARP to the MAC it was given.
        String neigh = ns.ip("neigh", "show", "192.0.2.2", "dev", "atoll0");
        assertTrue(neigh.contains("lladdr 02:00:00:00:00:02"), neigh);
    }

    @Test
    void largePingIsFragmentedAndReassembledBothWays() throws Exception {
        startServer();
        // 4000 bytes of ICMP data: the kernel fragments the request at the 1500-byte MTU, the
        // stack reassembles it, and its reply is fragmented again on the way back.
        NetworkNamespace.Result r = ns.exec(Duration.ofSeconds(30), "ping", "-c", "2", "-i", "0.2", "-W", "2",
                "-s", "4000", "192.0.2.2");
        assertEquals(0, r.status(), r.output() + "\n" + Files.readString(serverLog));
        assertTrue(r.output().contains("2 packets transmitted, 2 received"), r.output());
    }

    @Test
    void kernelUdpIsEchoed() throws Exception {
        startServer();
        Path log = dir.resolve("client.log");
        Process client = ns.start(NetworkNamespace.javaCommand(UdpEchoClient.class, "192.0.2.2", "7", "50"), log);
        assertTrue(client.waitFor(120, TimeUnit.SECONDS), "client did not finish");
        String out = Files.readString(log);
        assertEquals(0, client.exitValue(), out + "\n" + Files.readString(serverLog));
        assertTrue(out.contains("echoed 50/50"), out);
    }

    @Test
    void kernelTcpClientBulkEchoIsBitExact() throws Exception {
        startServer();
        // 8 MiB each way over one connection: the kernel sends, the stack echoes, checksums compared.
        Path log = dir.resolve("client.log");
        Process client = ns.start(NetworkNamespace.javaCommand(TcpBulkClient.class, "192.0.2.2", "7",
                Long.toString(8L << 20)), log);
        assertTrue(client.waitFor(180, TimeUnit.SECONDS), "client did not finish");
        String out = Files.readString(log);
        assertEquals(0, client.exitValue(), out + "\n" + Files.readString(serverLog));
        assertTrue(out.contains("sent 8388608 received 8388608 sha256 ok"), out);
    }

    @Test
    void stackTcpClientBulkToTheKernelsServerIsBitExact() throws Exception {
        // The other direction of roles: the stack connects (connectTcp) to a kernel TCP server and
        // sends 8 MiB that the kernel echoes.
        Path kernelLog = dir.resolve("kernel-server.log");
        Process kernel = ns.start(NetworkNamespace.javaCommand(TcpEchoServer.class, "192.0.2.1", "9000"), kernelLog);
        for (int i = 0; i < 600 && kernel.isAlive() && !Files.readString(kernelLog).contains("listening"); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(kernelLog).contains("listening"), Files.readString(kernelLog));
        startServer("connect=192.0.2.1:9000:" + (8L << 20));
        for (int i = 0; i < 2400 && server.isAlive() && !Files.readString(serverLog).contains("client "); i++) {
            Thread.sleep(50);
        }
        String log = Files.readString(serverLog);
        assertTrue(log.contains("client sent 8388608 received 8388608 sha256 ok"), log);
        assertTrue(kernel.waitFor(60, TimeUnit.SECONDS), "kernel server did not finish");
        assertTrue(Files.readString(kernelLog).contains("echoed 8388608"), Files.readString(kernelLog));
    }

    @Test
    void closedUdpPortAnswersPortUnreachable() throws Exception {
        startServer();
        // RFC 1122 §4.1.3.1: the kernel's UDP client sees ICMP port unreachable as ECONNREFUSED.
        Path log = dir.resolve("client.log");
        Process client = ns.start(NetworkNamespace.javaCommand(UdpEchoClient.class, "192.0.2.2", "9", "1"), log);
        assertTrue(client.waitFor(60, TimeUnit.SECONDS), "client did not finish");
        String out = Files.readString(log);
        assertEquals(3, client.exitValue(), out);
        assertTrue(out.contains("PortUnreachable from /192.0.2.2:9"), out);
    }
}
